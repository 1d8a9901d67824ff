import { commandRefusal, commandSpec, mayUseCommand } from './commands/command-table.js';
import { kindFor } from './explain/kind-for.js';
import { startReason } from './explain/start-reason.js';
import { waitReason } from './explain/wait-reason.js';
import { formatDuration } from './format-duration.js';
import { unionComponents } from './union-components.js';
import { culpritOf, isBisectedStage, isConcluded, maxBisectionSteps, newBisection, nextPrefix, recordStep } from './bisection/bisection-search.js';
import type {
  Bisection,
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
  if (r && r.kind === 'partial' && !r.cancelling && !r.bisect && r.restarts < s.maxRestarts) {
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
  // A bisection step is never cancelled: the command's cycle waits for the bisection's verdict.
  const cancellable = r.kind === 'partial' && !r.cancelling && !r.bisect && (full || r.restarts < s.maxRestarts);
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
    // fullInterval counts from a full cycle that tested, not from one that stopped before its tests;
    // a bisection step tests a part of staging, so it never counts.
    lastFullStartedAt: r.kind === 'full' && e.tested && !r.bisect ? r.startedAt : state.lastFullStartedAt,
    // Staging does not run what this cycle was for (nor does it after a bisection step, which ran a
    // part of it): the next cycle deploys (and rebuilds) it too.
    carry:
      e.deployed && !r.bisect
        ? state.carry
        : { components: unionComponents(state.carry?.components ?? [], r.components), rebuild: unionComponents(state.carry?.rebuild ?? [], r.rebuild) },
  };
  const bisection = state.bisection ?? null;
  if (r.bisect && bisection && bisection.origin === r.bisect) return onBisectionStep(next, bisection, e, now, s);
  if (result === 'failed' && !r.bisect && s.bisect !== false && isBisectedStage(e.failedStage) && (e.candidates?.length ?? 0) > 0) {
    // Look for the PR that broke it before anything else runs: the changes that came meanwhile wait.
    return startBisectionStep(next, newBisection(r, e.failedStage, e.candidates!), now);
  }
  return afterCycle(next, cycleId, result, now, s);
}

/** What follows a cycle that is not a bisection's: the pending cycle, now or once settle and throttle allow. */
function afterCycle(next: EnvState, cycleId: string, result: Finished['result'], now: number, s: PolicySettings): Decision {
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

/** A bisection step ended: narrow the search, run the next step, or give the verdict and run staging without the culprit. */
function onBisectionStep(next: EnvState, bisection: Bisection, e: Finished, now: number, s: PolicySettings): Decision {
  if (e.result === 'cancelled') {
    const d = afterBisection({ ...next, bisection: null }, bisection, now, s, `the bisection of ${bisection.origin} stopped: ${e.cycleId} was cancelled`);
    return { state: d.state, actions: [{ type: 'bisection-abandoned', origin: bisection.origin, reason: `${e.cycleId} was cancelled` }, ...d.actions] };
  }
  const narrowed = recordStep(bisection, e.cycleId, e.result === 'succeeded');
  if (!isConcluded(narrowed)) return startBisectionStep(next, narrowed, now);
  const culprit = culpritOf(narrowed);
  const steps = narrowed.steps.length;
  const verdict: PolicyAction = culprit
    ? { type: 'exclude-pr', pr: culprit, origin: narrowed.origin, stage: narrowed.stage, steps }
    : { type: 'blame-main', origin: narrowed.origin, stage: narrowed.stage, steps };
  const why = culprit
    ? `the bisection of ${narrowed.origin} found that PR #${culprit.number} (${culprit.repo}) breaks ${narrowed.stage}: staging without it`
    : `the bisection of ${narrowed.origin} found that main alone fails ${narrowed.stage}: staging again`;
  const d = afterBisection({ ...next, bisection: null }, narrowed, now, s, why);
  // The verdict first: the cycle after it must not compose the excluded PR.
  return { state: d.state, actions: [verdict, ...d.actions] };
}

/** Runs the cycle that follows a bisection at once, with what the failed cycle was for and whatever changed meanwhile. */
function afterBisection(state: EnvState, b: Bisection, now: number, s: PolicySettings, why: string): Decision {
  const created = state.pending ? { state, pending: state.pending } : createPending(state, now, { trigger: 'bisection', components: [], rebuild: [] });
  const p: PendingCycle = {
    ...created.pending,
    trigger: created.pending.immediate ? created.pending.trigger : 'bisection',
    immediate: true,
    runAt: now,
    waitingFor: 'now',
    components: unionComponents(created.pending.components, b.components),
    rebuild: unionComponents(created.pending.rebuild, b.rebuild),
  };
  return start(created.state, p, now, s, why);
}

/** Starts the next bisection step: main as the failed cycle had it, plus the next prefix of the candidates. */
function startBisectionStep(state: EnvState, b: Bisection, now: number): Decision {
  const size = nextPrefix(b);
  const seq = state.seq + 1;
  const id = `${state.env}-${seq}`;
  const step = b.steps.length + 1;
  const maxSteps = maxBisectionSteps(b.candidates.length);
  // Only a test-kernel failure needs the tests again; otherwise the step stops after deploy.
  const kind: CycleKind = b.stage === 'test-kernel' ? 'full' : 'partial';
  const prs = b.candidates.slice(0, size);
  const running: RunningCycle = { id, kind, trigger: 'bisection', startedAt: now, restarts: 0, components: b.components, rebuild: b.rebuild, cancelling: false, bisect: b.origin };
  const bisection: Bisection = { ...b, steps: [...b.steps, { cycleId: id, size, result: null }] };
  const tried = size === 0 ? 'main alone' : `main + ${size} of ${b.candidates.length} candidate PR(s) (${prs.map((p) => `#${p.number}`).join(', ')})`;
  return {
    state: { ...state, seq, running, bisection, lastStartedAt: now },
    actions: [
      {
        type: 'start-cycle',
        cycle: {
          id,
          env: state.env,
          kind,
          trigger: 'bisection',
          restarts: 0,
          components: b.components,
          rebuild: b.rebuild,
          requestedBy: null,
          reason: `bisecting ${b.origin}'s ${b.stage} failure, step ${step} of at most ${maxSteps}: ${tried}`,
          bisect: { origin: b.origin, stage: b.stage, step, maxSteps, prs },
        },
      },
    ],
  };
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
