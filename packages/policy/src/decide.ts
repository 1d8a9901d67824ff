import { commandRefusal, commandSpec, mayUseCommand } from './commands/command-table.js';
import { kindFor } from './explain/kind-for.js';
import { startReason } from './explain/start-reason.js';
import { waitReason } from './explain/wait-reason.js';
import { formatDuration } from './format-duration.js';
import { unionComponents } from './union-components.js';
import type {
  ComponentSet,
  CycleKind,
  Decision,
  EnvState,
  PendingCycle,
  PolicyAction,
  PolicyEvent,
  PolicySettings,
  RunningCycle,
  WaitReason,
} from './types.js';

type Change = Extract<PolicyEvent, { type: 'change' }>;
type Command = Extract<PolicyEvent, { type: 'command' }>;
type Finished = Extract<PolicyEvent, { type: 'cycle-finished' }>;

const noChange = (state: EnvState): Decision => ({ state, actions: [] });

/**
 * The scheduling rules: one environment's state and one event in, the next state and the actions
 * the scheduler must apply out. Pure: the clock is an argument and nothing is mutated.
 */
export function decide(state: EnvState, event: PolicyEvent, now: number, settings: PolicySettings): Decision {
  switch (event.type) {
    case 'change':
      return onChange(state, event, now, settings);
    case 'command':
      return onCommand(state, event, now, settings);
    case 'timer-fired': {
      const p = state.pending;
      if (!p || p.id !== event.cycleId || state.running) return noChange(state);
      if (now < p.runAt) return { state, actions: [timer(p, reasonFor(p, state))] };
      return start(state, p, now, settings, startReason(p, settings));
    }
    case 'cycle-finished':
      return onFinished(state, event, now, settings);
    case 'idle-tick': {
      if (state.running || state.pending) return noChange(state);
      const lastActivity = Math.max(state.lastStartedAt ?? -Infinity, state.lastFinishedAt ?? -Infinity);
      if (state.lastStartedAt !== null && now - lastActivity < settings.idleCheckMs) return noChange(state);
      return { state, actions: [{ type: 'check-updates' }] };
    }
    case 'updates-found': {
      if (state.running || state.pending) {
        return onChange(state, { type: 'change', source: 'push', sha: '', repo: null, pr: null, trusted: true, components: event.components, rebuild: event.rebuild }, now, settings);
      }
      const created = createPending(state, now, { trigger: 'idle-check', components: event.components, rebuild: event.rebuild });
      const throttleEnd = state.lastFinishedAt === null ? -Infinity : state.lastFinishedAt + settings.throttleMs;
      if (throttleEnd > now) {
        const p: PendingCycle = { ...created.pending, runAt: throttleEnd, waitingFor: 'throttle' };
        const next = { ...created.state, pending: p };
        return { state: next, actions: [timer(p, reasonFor(p, next))] };
      }
      return start(created.state, created.pending, now, settings, `idle check: new commits after ${formatDuration(settings.idleCheckMs)} without a cycle`);
    }
  }
}

function onChange(state: EnvState, e: Change, now: number, s: PolicySettings): Decision {
  if (!e.trusted) {
    return {
      state,
      actions: [{ type: 'ignore-change', reason: `PR #${e.pr ?? '?'} head ${e.sha.slice(0, 7)} is from an untrusted author: it needs a maintainer's deploy command` }],
    };
  }
  const r = state.running;
  if (r && r.kind === 'partial' && !r.cancelling && r.restarts < s.maxRestarts) {
    const base = state.pending ?? { ...createPending(state, now, { trigger: 'restart', components: [], rebuild: [] }).pending, changes: 0 };
    const seq = state.pending ? state.seq : state.seq + 1;
    const joined: PendingCycle = {
      ...join(base, e, now),
      trigger: 'restart',
      restarts: r.restarts + 1,
      components: unionComponents(unionComponents(base.components, r.components), e.components),
      rebuild: unionComponents(unionComponents(base.rebuild, r.rebuild), e.rebuild),
    };
    const p = schedule(joined, state, now, s);
    const running: RunningCycle = { ...r, cancelling: true };
    const next: EnvState = { ...state, seq, running, pending: p };
    return {
      state: next,
      actions: [
        { type: 'cancel-cycle', cycleId: r.id, reason: `restart ${p.restarts}/${s.maxRestarts}: a change arrived while the partial cycle ran` },
        timer(p, `restart ${p.restarts}/${s.maxRestarts}: ${reasonFor(p, next)}`),
      ],
    };
  }

  const created = state.pending ? { state, pending: state.pending } : createPending(state, now, { trigger: 'change', components: [], rebuild: [] });
  const joined = state.pending ? join(created.pending, e, now) : { ...created.pending, components: e.components, rebuild: e.rebuild };
  if (r && !r.cancelling) {
    // Cannot start before the running cycle ends; its finish schedules this one.
    const settled = joined.immediate ? joined : { ...schedule(joined, created.state, now, s, false), waitingFor: 'running-cycle' as const };
    return { state: { ...created.state, pending: settled }, actions: [] };
  }
  if (joined.immediate || (state.pending && joined.waitingFor === 'throttle')) {
    // A command's cycle starts as soon as it can, and a throttled one does not move.
    return { state: { ...created.state, pending: joined }, actions: [] };
  }
  const p = schedule(joined, created.state, now, s);
  const next = { ...created.state, pending: p };
  // With nothing running, a pending cycle always has a timer armed at or before its runAt. A
  // later runAt needs no new one: that timer fires early and re-arms (see timer-fired). So a
  // burst costs one timer, not one per change.
  const armed = state.pending !== null && state.pending.runAt <= p.runAt;
  return { state: next, actions: armed ? [] : [timer(p, reasonFor(p, next))] };
}

function onCommand(state: EnvState, e: Command, now: number, s: PolicySettings): Decision {
  if (!mayUseCommand(e.command, e)) {
    return { state, actions: [{ type: 'refuse-command', command: e.command, by: e.by, reason: commandRefusal(e.command, e.by) }] };
  }
  const does = commandSpec(e.command).does;
  if (does !== null && 'skip' in does) {
    if (e.pr === null) return noChange(state);
    // Taking a PR out of staging needs a cycle like any other change.
    const removal: Change = { type: 'change', source: 'pull_request', sha: e.sha ?? '', repo: e.repo, pr: e.pr, trusted: true, components: 'all', rebuild: 'all' };
    const d = onChange(state, removal, now, s);
    return { state: d.state, actions: [{ type: 'skip-pr', repo: e.repo, pr: e.pr, by: e.by }, ...d.actions] };
  }
  if (!('cycle' in does)) return noChange(state);
  const actions: PolicyAction[] = [];
  if (e.command === 'deploy' && e.pr !== null && e.sha !== null && !e.prAuthorTrusted) {
    actions.push({ type: 'approve-head', repo: e.repo, pr: e.pr, sha: e.sha, by: e.by });
  }
  if (e.command === 'deploy' && e.pr !== null) actions.push({ type: 'unskip-pr', repo: e.repo, pr: e.pr });
  const forced: CycleKind = does.cycle === 'full' || state.pending?.forcedKind === 'full' ? 'full' : 'partial';
  const trigger = does.cycle === 'full' ? 'trigger-command' : 'deploy-command';
  const created = state.pending ? { state, pending: state.pending } : createPending(state, now, { trigger, components: 'all', rebuild: 'all' });
  const p: PendingCycle = {
    ...created.pending,
    trigger,
    forcedKind: forced,
    immediate: true,
    requestedBy: e.by,
    components: 'all',
    rebuild: 'all',
    runAt: now,
    waitingFor: 'now',
  };
  const r = state.running;
  if (!r) {
    const started = start(created.state, p, now, s, `${e.command} command from ${e.by}`);
    return { state: started.state, actions: [...actions, ...started.actions] };
  }
  const full = does.cycle === 'full';
  const cancellable = r.kind === 'partial' && !r.cancelling && (full || r.restarts < s.maxRestarts);
  const waiting: PendingCycle = {
    ...p,
    waitingFor: 'running-cycle',
    restarts: cancellable ? (full ? 0 : r.restarts + 1) : p.restarts,
  };
  if (cancellable) {
    actions.push({ type: 'cancel-cycle', cycleId: r.id, reason: `${e.command} command from ${e.by}` });
    return { state: { ...created.state, running: { ...r, cancelling: true }, pending: waiting }, actions };
  }
  return { state: { ...created.state, pending: waiting }, actions };
}

function onFinished(state: EnvState, e: Finished, now: number, s: PolicySettings): Decision {
  const { cycleId, result } = e;
  const r = state.running;
  if (!r || r.id !== cycleId) return noChange(state);
  const next: EnvState = {
    ...state,
    running: null,
    lastFinishedAt: result === 'cancelled' ? state.lastFinishedAt : now,
    // fullInterval counts from a full cycle that tested, not from one that stopped before its tests.
    lastFullStartedAt: r.kind === 'full' && e.tested ? r.startedAt : state.lastFullStartedAt,
    // Staging does not run what this cycle was for: the next cycle deploys (and rebuilds) it too.
    carry: e.deployed ? state.carry : { components: unionComponents(state.carry?.components ?? [], r.components), rebuild: unionComponents(state.carry?.rebuild ?? [], r.rebuild) },
  };
  const p = next.pending;
  if (!p) return noChange(next);
  if (p.immediate) return start(next, p, now, s, `${p.trigger === 'trigger-command' ? 'trigger' : 'deploy'} command from ${p.requestedBy ?? 'a maintainer'}, after ${cycleId}`);
  let runAt = Math.max(p.runAt, now);
  let waitingFor: WaitReason = p.waitingFor === 'running-cycle' ? 'settle' : p.waitingFor;
  if (result !== 'cancelled' && now + s.throttleMs > runAt) {
    runAt = now + s.throttleMs;
    waitingFor = 'throttle';
  }
  const scheduled: PendingCycle = { ...p, runAt, waitingFor };
  if (runAt <= now) return start({ ...next, pending: scheduled }, scheduled, now, s, `${cycleId} ended and ${startReason(scheduled, s)}`);
  const after = { ...next, pending: scheduled };
  return { state: after, actions: [timer(scheduled, reasonFor(scheduled, after))] };
}

function createPending(
  state: EnvState,
  now: number,
  init: Pick<PendingCycle, 'trigger' | 'components' | 'rebuild'>,
): { state: EnvState; pending: PendingCycle } {
  const seq = state.seq + 1;
  const pending: PendingCycle = {
    id: `${state.env}-${seq}`,
    forcedKind: null,
    immediate: false,
    firstChangeAt: now,
    lastChangeAt: now,
    runAt: now,
    waitingFor: 'settle',
    restarts: 0,
    changes: 1,
    requestedBy: null,
    ...init,
  };
  return { state: { ...state, seq }, pending };
}

function join(p: PendingCycle, e: Change, now: number): PendingCycle {
  return {
    ...p,
    changes: p.changes + 1,
    lastChangeAt: now,
    components: unionComponents(p.components, e.components),
    rebuild: unionComponents(p.rebuild, e.rebuild),
  };
}

/** Debounce (settle, capped at settleMax after the first change), then throttle. */
function schedule(p: PendingCycle, state: EnvState, now: number, s: PolicySettings, throttle = true): PendingCycle {
  const settleAt = now + s.settleMs;
  const cap = p.firstChangeAt + s.settleMaxMs;
  let runAt = Math.max(now, Math.min(settleAt, cap));
  let waitingFor: WaitReason = settleAt <= cap ? 'settle' : 'settle-cap';
  const throttleEnd = state.lastFinishedAt === null ? -Infinity : state.lastFinishedAt + s.throttleMs;
  if (throttle && throttleEnd > runAt) {
    runAt = throttleEnd;
    waitingFor = 'throttle';
  }
  return { ...p, runAt, waitingFor };
}

function start(state: EnvState, p: PendingCycle, now: number, s: PolicySettings, why: string): Decision {
  const { kind, reason } = kindFor(state, p, now, s);
  const carry = state.carry;
  const components = carry ? unionComponents(p.components, carry.components) : p.components;
  const rebuild = carry ? unionComponents(p.rebuild, carry.rebuild) : p.rebuild;
  const running: RunningCycle = {
    id: p.id,
    kind,
    trigger: p.trigger,
    startedAt: now,
    restarts: p.restarts,
    components,
    rebuild,
    cancelling: false,
  };
  const carried = carry ? `; carries ${describeSet(carry.components)} over from a cycle that did not deploy` : '';
  return {
    state: { ...state, pending: null, running, lastStartedAt: now, carry: null },
    actions: [
      {
        type: 'start-cycle',
        cycle: {
          id: p.id,
          env: state.env,
          kind,
          trigger: p.trigger,
          restarts: p.restarts,
          components,
          rebuild,
          requestedBy: p.requestedBy,
          reason: `${why}; ${reason}${carried}`,
        },
      },
    ],
  };
}

function reasonFor(p: PendingCycle, state: EnvState): string {
  return waitReason({ ...p, at: p.runAt }, { lastFinishedAt: state.lastFinishedAt, runningId: state.running?.id ?? null });
}

function timer(p: PendingCycle, reason: string): PolicyAction {
  return { type: 'schedule-timer', cycleId: p.id, runAt: p.runAt, waitingFor: p.waitingFor, reason };
}

function describeSet(set: ComponentSet): string {
  return set === 'all' ? 'every component' : set.length === 0 ? 'no component' : set.join(', ');
}
