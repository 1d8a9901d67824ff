import type { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  decide,
  resolveComponentSet,
  type PolicyAction,
  type PolicyEvent,
  type PolicySettings,
  type Role,
  type StartCycle,
} from '@stagecraft/policy';
import type { CatalogQueue, CommandEvent, NormalizedEvent, NotificationJob, StagecraftKeys } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { CycleStore } from '../store/cycle-store.js';
import type { CycleRecord, CycleState } from '../store/cycle-record.js';
import type { EnvStateStore } from '../store/env-state-store.js';
import type { HeadsStore } from '../store/heads-store.js';
import type { HeadsSnapshot, PullRequestHead } from '../store/pull-request-head.js';
import type { TrustLists } from './trust-lists.js';
import { resolveRoles, staticRoles, type RoleResolver } from './role-resolver.js';
import type { ChangedPaths } from './changed-paths.js';
import type { PullRequestLookup } from './pull-request-lookup.js';
import { cycleFlow } from './cycle-flow.js';
import { commandReply } from './command-reply.js';
import { cycleNotification } from '@stagecraft/queue';
import { helpReply, statusReply } from './informational-reply.js';
import { stagesOfCycle } from '../store/cycle-stages.js';
import { PR_UPDATES, routeEvent, type ComponentRule, type HeadsUpdate } from './route-event.js';
import { StateContentionError } from './errors/state-contention-error.js';
import type { PromotionService } from './promotion/promotion-service.js';
import { PROMOTION_COMMANDS, runPromotionCommand } from './promotion/promotion-command.js';

export interface SchedulerResources {
  redis: Redis;
  keys: StagecraftKeys;
  states: EnvStateStore;
  cycles: CycleStore;
  heads: HeadsStore;
  timers: Pick<CatalogQueue<'timers'>, 'add'>;
  flows: Pick<FlowProducer, 'add'>;
  logger: Logger;
  clock: () => number;
  settings: PolicySettings;
  /** Environments whose cycles follow changes (config `auto: true`). */
  environments: string[];
  components: ComponentRule[];
  trust: TrustLists;
  /** Roles beyond the config's logins (GitHub teams, repository permissions); default: the lists only. */
  roles?: RoleResolver;
  mainBranch: string;
  /** Where acknowledgements and replies to PR commands go (the notifier posts them); none = silent. */
  notifications?: Pick<CatalogQueue<'notifications'>, 'add'>;
  botName?: string;
  /** Looks up the files a PR touches (the GitHub API); without it a PR change touches every component. */
  changedPaths?: ChangedPaths;
  /** Looks up a PR a command names that no webhook told us about; without it such a PR is unknown. */
  pullRequests?: PullRequestLookup;
  /** Called for every action that someone should hear about (refusals, ignored changes, …). */
  onNotice?: (env: string, action: PolicyAction) => void;
  onCycleStarted?: (record: CycleRecord) => void;
  onCycleFinished?: (record: CycleRecord) => void;
  /** Releases and promotions (environments with approval: true); without it promotion commands are refused. */
  promotions?: PromotionService;
}

const MAX_COMMIT_ATTEMPTS = 50;
const COMMAND_ANSWER_TTL_SECONDS = 600;

/**
 * Applies decide() to Redis: load state, decide, commit state + actions in one optimistic write,
 * then apply the actions. Any replica may run any event; the commit decides who wins.
 */
export class SchedulerEngine {
  private readonly roles: RoleResolver;

  constructor(private readonly r: SchedulerResources) {
    this.roles = r.roles ?? staticRoles(r.trust);
  }

  async handleEvent(ev: NormalizedEvent): Promise<void> {
    const pr = ev.kind === 'pull_request' || (ev.kind === 'command' && ev.pr !== null) ? (ev.pr as number) : null;
    const [storedPr, approvedSha] = pr === null ? [null, null] : await Promise.all([this.r.heads.getPr(pr), this.r.heads.approvedSha(pr)]);
    const knownPr = storedPr ?? (ev.kind === 'command' && pr !== null ? await this.lookUpPr(pr, ev.installationId) : null);
    const roles = await resolveRoles(this.roles, [
      ev.kind === 'command' ? ev.by : null,
      ev.kind === 'pull_request' && PR_UPDATES.has(ev.action) ? ev.author : null,
      ev.kind === 'command' ? knownPr?.author : null,
    ]);
    const roleOf = (login: string) => roles.get(login.toLowerCase()) ?? 'untrusted';
    const routed = routeEvent(ev, {
      roles,
      mainBranch: this.r.mainBranch,
      trust: this.r.trust,
      components: this.r.components,
      knownPr,
      approvedSha,
      prPaths: ev.kind === 'pull_request' && PR_UPDATES.has(ev.action) ? await this.prPaths(ev.pr, ev.installationId) : null,
      ...(ev.kind === 'push' && ev.ref === `refs/heads/${this.r.mainBranch}` && this.r.changedPaths ? { mainPaths: await this.mainPaths(ev) } : {}),
    });
    if (routed.headsUpdate) await this.applyHeadsUpdate(routed.headsUpdate);
    if (ev.kind === 'command' && ev.commentId !== 0) await this.notify({ type: 'reaction', key: `react.${ev.commentId}`, installationId: ev.installationId, commentId: ev.commentId, content: 'eyes' });
    if (ev.kind === 'command' && PROMOTION_COMMANDS.has(ev.command)) return this.promotionCommand(ev);
    if (ev.kind === 'command' && ev.pr !== null && ev.command === 'skip') return this.skip(ev, ev.pr, knownPr, roleOf(ev.by));
    if (ev.kind === 'command' && ev.pr !== null && ev.command === 'deploy' && roleOf(ev.by) === 'maintainer') {
      await this.r.heads.unskip(ev.pr);
    }
    if (ev.kind === 'command' && ev.pr !== null && (ev.command === 'help' || ev.command === 'status')) {
      const body =
        ev.command === 'help'
          ? helpReply(this.r.botName ?? 'stagecraft')
          : statusReply(await Promise.all(this.r.environments.map(async (env) => (await this.r.states.load(env)).state)), this.r.clock());
      await this.notify({ type: 'reply', key: `reply.${ev.id}`, installationId: ev.installationId, issue: ev.pr, body });
    }
    if (!routed.policy) {
      this.r.logger.debug({ event: ev.id, kind: ev.kind, note: routed.note }, 'event changes nothing');
      return;
    }
    for (const [i, env] of this.r.environments.entries()) {
      const actions = await this.dispatch(env, ev.id, routed.policy);
      // One answer per command: the first environment's (a redelivered event gets none again).
      if (i === 0 && ev.kind === 'command' && ev.pr !== null && actions.length > 0) {
        const { state } = await this.r.states.load(env);
        await this.notify({ type: 'reply', key: `reply.${ev.id}`, installationId: ev.installationId, issue: ev.pr, body: commandReply(ev, actions, this.r.botName ?? 'stagecraft', state) });
      }
    }
  }

  /** `@bot skip` from the PR's author or a maintainer: out of staging until a maintainer's deploy. */
  private async skip(ev: CommandEvent, pr: number, knownPr: PullRequestHead | null, role: Role): Promise<void> {
    const isAuthor = knownPr !== null && knownPr.author.toLowerCase() === ev.by.toLowerCase();
    const reply = (body: string) => this.notify({ type: 'reply', key: `reply.${ev.id}`, installationId: ev.installationId, issue: pr, body });
    if (!isAuthor && role !== 'maintainer') {
      await reply(`@${ev.by} nothing changed: only the PR's author or a maintainer may skip it.`);
      return;
    }
    await this.r.heads.skip(pr, ev.by);
    // Taking a PR out of staging needs a cycle like any other change.
    const removal: PolicyEvent = { type: 'change', source: 'pull_request', sha: knownPr?.sha ?? '', pr, trusted: true, components: 'all', rebuild: 'all' };
    for (const env of this.r.environments) await this.dispatch(env, ev.id, removal);
    await reply(`#${pr} is left out of staging until a maintainer comments \`@${this.r.botName ?? 'stagecraft'} deploy\`.`);
  }

  /** promote / approve / reject / rollback: answered on the PR, or with a reaction on a commit comment. */
  private async promotionCommand(ev: CommandEvent): Promise<void> {
    const answer = this.r.promotions
      ? await runPromotionCommand(ev, this.r.promotions)
      : { ok: false, message: 'promotion is not set up on this scheduler' };
    // The dashboard and the CLI wait for this answer (their events have no comment to answer on).
    await this.r.redis.set(this.r.keys.commandAnswer(ev.id), JSON.stringify(answer), 'EX', COMMAND_ANSWER_TTL_SECONDS);
    if (ev.pr !== null) {
      await this.notify({ type: 'reply', key: `reply.${ev.id}`, installationId: ev.installationId, issue: ev.pr, body: `@${ev.by} ${answer.ok ? '' : 'refused: '}${answer.message}` });
    } else if (ev.commentId !== 0) {
      await this.notify({ type: 'reaction', key: `react.${ev.commentId}.answer`, installationId: ev.installationId, commentId: ev.commentId, content: answer.ok ? '+1' : 'confused' });
    }
  }

  private async notify(job: NotificationJob): Promise<void> {
    await this.r.notifications?.add(job.type, job, { jobId: job.key });
  }

  /** Runs one policy event to completion; `eventId` makes it apply at most once. */
  async dispatch(env: string, eventId: string | null, event: PolicyEvent): Promise<PolicyAction[]> {
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      const stored = await this.r.states.load(env);
      if (stored.outbox.length > 0) {
        // A previous commit's actions may not have been applied (its process died): they are
        // idempotent, so apply them before deciding anything new.
        const followUps = await this.applyActions(env, stored.outbox);
        await this.r.states.clearOutbox(env, stored.version);
        await this.dispatchAll(env, followUps);
      }
      const now = this.r.clock();
      const decision = decide(stored.state, event, now, this.r.settings);
      const { outcome, version } = await this.r.states.commit(env, stored.version, decision.state, decision.actions, eventId);
      if (outcome === 'duplicate') return [];
      if (outcome === 'conflict') {
        // Another replica committed first: back off a little, with jitter, so racers spread out.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
        continue;
      }
      if (decision.actions.length > 0) {
        const followUps = await this.applyActions(env, decision.actions);
        await this.r.states.clearOutbox(env, version);
        await this.dispatchAll(env, followUps);
      }
      return decision.actions;
    }
    throw new StateContentionError(env, MAX_COMMIT_ATTEMPTS);
  }

  async timerFired(env: string, cycleId: string): Promise<void> {
    await this.dispatch(env, null, { type: 'timer-fired', cycleId });
  }

  /** The root job of a cycle's flow runs once every stage is done: record the outcome. */
  async finalizeCycle(env: string, cycleId: string): Promise<CycleRecord | null> {
    const record = await this.r.cycles.get(cycleId);
    if (!record) {
      this.r.logger.warn({ cycleId }, 'finished cycle has no record');
      await this.dispatch(env, `finished:${cycleId}`, { type: 'cycle-finished', cycleId, result: 'failed' });
      return null;
    }
    const cancelled = (await this.r.redis.exists(this.r.keys.cycleCancelled(cycleId))) === 1;
    const state = record.state === 'running' ? outcomeOf(record, cancelled) : record.state;
    const finished = record.state === 'running' ? await this.r.cycles.finish(cycleId, state, this.r.clock()) : record;
    // A promotion's cycle is not one decide() started: its request, not the environment state, follows it.
    if (!record.release) await this.dispatch(env, `finished:${cycleId}`, { type: 'cycle-finished', cycleId, result: state });
    if (finished) await this.r.promotions?.cycleFinished(finished);
    await this.notify(cycleNotification(cycleId, 'finished'));
    if (finished) this.r.onCycleFinished?.(finished);
    return finished;
  }

  /** The periodic idle check: when nothing ran for idleCheck, look for heads no cycle has seen. */
  async idleTick(): Promise<void> {
    for (const env of this.r.environments) {
      await this.dispatch(env, null, { type: 'idle-tick' });
    }
  }

  private async prPaths(pr: number, installationId: number | null): Promise<string[] | null> {
    if (!this.r.changedPaths) return null;
    try {
      return await this.r.changedPaths.ofPullRequest(pr, installationId);
    } catch (err) {
      // Not knowing the files only widens the cycle to every component; it must not lose the event.
      this.r.logger.warn({ pr, err: (err as Error).message }, 'could not list the PR files; every component counts');
      return null;
    }
  }

  /** A PR a command names but no webhook announced: ask GitHub, and track it from now on. */
  private async lookUpPr(pr: number, installationId: number | null): Promise<PullRequestHead | null> {
    if (!this.r.pullRequests) return null;
    try {
      const head = await this.r.pullRequests.head(pr, installationId);
      if (head) await this.r.heads.upsertPr(head);
      return head;
    } catch (err) {
      this.r.logger.warn({ pr, err: (err as Error).message }, 'could not look up the PR; its author counts as untrusted');
      return null;
    }
  }

  /**
   * What changed on main since the main the first environment last deployed (the compare API),
   * so pushes that were missed or came in a truncated payload still count.
   */
  private async mainPaths(ev: Extract<NormalizedEvent, { kind: 'push' }>): Promise<string[] | null> {
    const env = this.r.environments[0];
    const deployed = env ? await this.r.heads.deployed(env) : null;
    const base = deployed?.main ?? (/^0+$/.test(ev.before) ? null : ev.before);
    if (!base || base === ev.sha) return ev.paths;
    try {
      return await this.r.changedPaths!.ofMain(base, ev.sha, ev.installationId);
    } catch (err) {
      this.r.logger.warn({ base, head: ev.sha, err: (err as Error).message }, 'could not compare main; using the push payload');
      return ev.paths;
    }
  }

  private async applyHeadsUpdate(update: HeadsUpdate): Promise<void> {
    switch (update.kind) {
      case 'main':
        return this.r.heads.setMain(update.sha);
      case 'pr-upsert':
        return this.r.heads.upsertPr(update.head);
      case 'pr-remove':
        return this.r.heads.removePr(update.pr);
    }
  }

  /** Events an action produced; dispatched only once the commit that caused them is fully applied. */
  private async dispatchAll(env: string, events: PolicyEvent[]): Promise<void> {
    for (const event of events) await this.dispatch(env, null, event);
  }

  private async applyActions(env: string, actions: PolicyAction[]): Promise<PolicyEvent[]> {
    const followUps: PolicyEvent[] = [];
    for (const action of actions) {
      switch (action.type) {
        case 'schedule-timer': {
          const delay = Math.max(0, action.runAt - this.r.clock());
          // One delayed job per pending cycle. replace moves it while it waits (debounce);
          // keepLastIfActive keeps a reschedule that lands while the timer itself is running, and
          // with no ttl BullMQ drops the key once the job finishes, so a later timer is never lost.
          await this.r.timers.add(
            'timer',
            { env, cycleId: action.cycleId },
            { delay, deduplication: { id: `${env}.${action.cycleId}`, replace: true, keepLastIfActive: true } },
          );
          break;
        }
        case 'start-cycle':
          await this.startCycle(action.cycle);
          break;
        case 'cancel-cycle':
          await this.r.redis
            .multi()
            .set(this.r.keys.cycleCancelled(action.cycleId), action.reason, 'EX', 7 * 24 * 3600)
            .publish(this.r.keys.cancelChannel(), action.cycleId)
            .exec();
          await this.r.cycles.update(action.cycleId, { cancelReason: action.reason });
          this.r.logger.info({ env, cycleId: action.cycleId, reason: action.reason }, 'cycle cancelled');
          break;
        case 'approve-head':
          await this.r.heads.approve(action.pr, action.sha, action.by);
          this.r.logger.info({ env, pr: action.pr, sha: action.sha, by: action.by }, 'head approved for staging');
          break;
        case 'check-updates': {
          const found = await this.checkUpdates(env);
          if (found) followUps.push(found);
          break;
        }
        case 'refuse-command':
        case 'ignore-change':
          this.r.logger.info({ env, action }, action.type === 'refuse-command' ? 'command refused' : 'change ignored');
          this.r.onNotice?.(env, action);
          break;
      }
    }
    return followUps;
  }

  private async startCycle(cycle: StartCycle): Promise<void> {
    const snapshot = await this.r.heads.readySnapshot({ trust: this.r.trust, mainBranch: this.r.mainBranch, roles: this.roles });
    const all = this.r.components.map((c) => c.name);
    const components = resolveComponentSet(cycle.components, all);
    const rebuild = resolveComponentSet(cycle.rebuild, all).filter((c) => components.includes(c));
    await this.r.cycles.create({
      id: cycle.id,
      env: cycle.env,
      kind: cycle.kind,
      state: 'running',
      trigger: cycle.trigger,
      reason: cycle.reason,
      requestedBy: cycle.requestedBy,
      restarts: cycle.restarts,
      startedAt: this.r.clock(),
      finishedAt: null,
      components,
      rebuild,
      mainSha: snapshot.main,
      stagingSha: null,
      prs: snapshot.prs,
      cancelReason: null,
    });
    // A replayed start (outbox) builds the flow from the first record, so both runs agree.
    const record = await this.r.cycles.get(cycle.id);
    if (!record) throw new Error(`cycle ${cycle.id} vanished right after it was created`);
    await this.r.heads.recordDeployed(cycle.env, { main: record.mainSha, prs: record.prs });
    await this.r.flows.add(cycleFlow(record));
    await this.notify(cycleNotification(record.id, 'started'));
    this.r.logger.info({ cycleId: record.id, kind: record.kind, trigger: record.trigger, reason: record.reason, prs: record.prs.length }, 'cycle started');
    this.r.onCycleStarted?.(record);
  }

  /** The idle check proper: heads that no cycle has run with yet mean a cycle is due. */
  private async checkUpdates(env: string): Promise<PolicyEvent | null> {
    const [current, deployed] = await Promise.all([
      this.r.heads.readySnapshot({ trust: this.r.trust, mainBranch: this.r.mainBranch, roles: this.roles }),
      this.r.heads.deployed(env),
    ]);
    if (current.main === null && current.prs.length === 0) return null;
    if (deployed && sameHeads(current, deployed)) {
      this.r.logger.debug({ env }, 'idle check: nothing new');
      return null;
    }
    this.r.logger.info({ env, main: current.main, prs: current.prs.length }, 'idle check found new commits');
    return { type: 'updates-found', components: 'all', rebuild: 'all' };
  }
}

function sameHeads(a: HeadsSnapshot, b: HeadsSnapshot): boolean {
  return a.main === b.main && JSON.stringify(a.prs) === JSON.stringify(b.prs);
}

function outcomeOf(record: CycleRecord, cancelled: boolean): Exclude<CycleState, 'running'> {
  if (cancelled || record.stages.some((s) => s.status === 'cancelled')) return 'cancelled';
  const expected = stagesOfCycle(record);
  const allRan = expected.every((stage) => record.stages.some((s) => s.stage === stage));
  if (!allRan || record.stages.some((s) => s.status === 'failed')) return 'failed';
  return 'succeeded';
}
