import type { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  pullRequestKey,
  checksReason,
  commandHelp,
  decide,
  explain,
  renderExplanations,
  resolveComponentSet,
  type Decision,
  type EnvState,
  type PolicyAction,
  type PolicyEvent,
  type PolicySettings,
  type PrRef,
  type Role,
  type StartCycle,
} from '@stagecraft/policy';
import type { CatalogQueue, CommandEvent, NormalizedEvent, NotificationJob, StageName, StageResult, StageStatus, StagecraftKeys } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { CycleStore } from '../store/cycle-store.js';
import type { CycleRecord, CycleState } from '../store/cycle-record.js';
import type { EnvStateStore } from '../store/env-state-store.js';
import type { OutboxAction } from '../store/outbox-action.js';
import { updatedAtMs, type HeadsUpdate } from '../store/heads-update.js';
import type { RemoteHeads } from './remote-heads.js';
import type { HeadsStore, RepositoryRules } from '../store/heads-store.js';
import type { HeadsSnapshot, PrHead, PullRequestHead, ReadySnapshot } from '../store/pull-request-head.js';
import { HeadChecksStore } from '../store/head-checks-store.js';
import type { CheckLookup } from './check-lookup.js';
import { HeadChecks } from './head-checks.js';
import type { BisectionRecord, RepoHeads } from '../store/cycle-record.js';
import type { TrustLists } from './trust-lists.js';
import { resolveRoles, staticRoles, type RoleResolver } from './role-resolver.js';
import type { ChangedPaths } from './changed-paths.js';
import type { PullRequestLookup } from './pull-request-lookup.js';
import { cycleFlow } from './cycle-flow.js';
import { commandReply } from './command-reply.js';
import { cycleNotification, enqueueNotification, waitingNotification } from '@stagecraft/queue';
import { stagesOfCycle } from '../store/cycle-stages.js';
import { PR_UPDATES, routeEvent, type ComponentRule, type HeadChecks as RoutedHeadChecks, type RoutedEvent } from './route-event.js';
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
  /** The repositories staging composes, in config order, each with which of its PRs staging takes besides trust. */
  repositories: RepositoryRules[];
  /** Where acknowledgements and replies to PR commands go (the notifier posts them); none = silent. */
  notifications?: Pick<CatalogQueue<'notifications'>, 'add'>;
  botName?: string;
  /** Looks up the files a PR touches (the GitHub API); without it a PR change touches every component. */
  changedPaths?: ChangedPaths;
  /** Looks up a PR a command names that no webhook told us about; without it such a PR is unknown. */
  pullRequests?: PullRequestLookup;
  /** Reads main and the open PRs from GitHub for the idle check; without it the idle check trusts the webhooks. */
  remoteHeads?: RemoteHeads;
  /**
   * Reads a commit's checks and branch protection's required checks from GitHub, for repositories
   * that require checks; without it only checks webhooks report them (and `requireChecks: required`
   * cannot be known, so those PRs wait).
   */
  checks?: CheckLookup;
  /** Called for every action that someone should hear about (refusals, ignored changes, …). */
  onNotice?: (env: string, action: PolicyAction) => void;
  onCycleStarted?: (record: CycleRecord) => void;
  onCycleFinished?: (record: CycleRecord) => void;
  /** A bisection started (its first step), and how one ended: the PR found, main blamed, or no verdict. */
  onBisectionStarted?: (env: string) => void;
  onBisectionVerdict?: (env: string, verdict: 'pr' | 'main' | 'abandoned') => void;
  /** Releases and promotions (environments with approval: true); without it promotion commands are refused. */
  promotions?: PromotionService;
}

const MAX_COMMIT_ATTEMPTS = 50;
const COMMAND_ANSWER_TTL_SECONDS = 600;

/**
 * A head read from GitHub is ordered as of this long before the read: pushed_at has whole seconds
 * and GitHub's clock is not ours, so a push made just before the read may still move it, and a
 * webhook of an older push that arrives after the read cannot.
 */
const REMOTE_READ_MARGIN_MS = 2000;

/** What one event changes beside the policy state, committed with its decision. */
interface DispatchEffects {
  /** Head updates the event brings (each moves its ref only forward). */
  heads?: HeadsUpdate[];
  /** Notifications that say what the decision did (a command's reaction and answer). */
  notices?: (decision: Decision) => NotificationJob[];
  /** What is deployed once this decision is committed, given the state it was made from. */
  deployed?: (before: EnvState) => HeadsSnapshot | null;
}

/** A policy event an applied action produced, with the id that makes it apply once. */
interface FollowUp {
  id: string;
  event: PolicyEvent;
}

/**
 * Applies decide() to Redis: load state, decide, commit state + actions in one optimistic write,
 * then apply the actions. Any replica may run any event; the commit decides who wins.
 */
export class SchedulerEngine {
  private readonly roles: RoleResolver;
  private readonly headChecks: HeadChecks;

  constructor(private readonly r: SchedulerResources) {
    this.roles = r.roles ?? staticRoles(r.trust);
    this.headChecks = new HeadChecks({ store: new HeadChecksStore(r.redis, r.keys), ...(r.checks ? { lookup: r.checks } : {}), logger: r.logger, clock: r.clock });
  }

  /** The configured repository an event came from (any spelling of its name), or null. */
  private repositoryOf(repo: string): RepositoryRules | null {
    return this.r.repositories.find((r) => r.name.toLowerCase() === repo.toLowerCase()) ?? null;
  }

  async handleEvent(ev: NormalizedEvent): Promise<void> {
    const repository = this.repositoryOf(ev.repo);
    if (!repository) {
      // Ingress lets only configured repositories through; this one was removed from the config since.
      this.r.logger.warn({ event: ev.id, repo: ev.repo }, 'event from a repository that is not configured: ignored');
      return;
    }
    const repo = repository.name;
    if (ev.kind === 'checks' && this.headChecks.requiresNone(repository)) {
      // Ingress queues none for such a repository; one queued before the config changed is nothing.
      this.r.logger.debug({ event: ev.id, repo }, 'checks event of a repository that requires no checks');
      return;
    }
    // A checks event is about a commit: its PR is the open one whose head that commit is.
    const checksPr = ev.kind === 'checks' ? await this.prAtHead(repository, ev.sha) : null;
    const pr = ev.kind === 'pull_request' || (ev.kind === 'command' && ev.pr !== null) ? (ev.pr as number) : (checksPr?.number ?? null);
    const [storedPr, approvedSha] = pr === null ? [null, null] : await Promise.all([checksPr ?? this.r.heads.getPr(repo, pr), this.r.heads.approvedSha(repo, pr)]);
    const knownPr = storedPr ?? (ev.kind === 'command' && pr !== null ? await this.lookUpPr(repo, pr, ev.installationId) : null);
    const roles = await resolveRoles(this.roles, [
      ev.kind === 'command' ? ev.by : null,
      ev.kind === 'pull_request' && PR_UPDATES.has(ev.action) ? ev.author : null,
      ev.kind === 'command' || ev.kind === 'checks' ? knownPr?.author : null,
    ]);
    const checks = await this.checksOfEvent(ev, repository, knownPr);
    const isMainPush = ev.kind === 'push' && ev.ref === `refs/heads/${repository.mainBranch}`;
    const routed = routeEvent(ev, {
      roles,
      repository,
      trust: this.r.trust,
      components: this.r.components.filter((c) => c.repository.toLowerCase() === repo.toLowerCase()),
      scopeToRepository: this.r.repositories.length > 1,
      knownPr,
      approvedSha,
      prPaths: ev.kind === 'pull_request' && PR_UPDATES.has(ev.action) ? await this.prPaths(repo, ev.pr, ev.installationId) : null,
      ...(ev.kind === 'push' && isMainPush && this.r.changedPaths ? { mainPaths: await this.mainPaths(repo, ev) } : {}),
      ...(checks ? { checks } : {}),
    });
    const heads = routed.headsUpdate ? [routed.headsUpdate] : [];
    const waiting = checks ? await this.waitingNotice(ev, repository, routed, knownPr, checks, roles) : null;
    const reaction: NotificationJob | null =
      // A command from the dashboard or the CLI has no comment to react to.
      ev.kind === 'command' && ev.commentId !== 0 ? { type: 'reaction', key: `react.${ev.commentId}`, repo, installationId: ev.installationId, commentId: ev.commentId, content: 'eyes' } : null;
    if (ev.kind === 'command' && PROMOTION_COMMANDS.has(ev.command)) {
      if (reaction) await this.notify(reaction);
      return this.promotionCommand(ev);
    }
    const environments = routed.policy ? this.r.environments : [];
    if (environments.length === 0) {
      // Nothing to decide: the heads move (forward only) and a command is still answered.
      await this.r.heads.apply(heads);
      if (waiting) await this.notify(waiting);
      if (reaction) await this.notify(reaction);
      if (ev.kind === 'command' && ev.pr !== null && (ev.command === 'help' || ev.command === 'status')) {
        const body = ev.command === 'help' ? commandHelp(this.r.botName ?? 'stagecraft') : await this.statusReply();
        await this.notify({ type: 'reply', key: `reply.${ev.id}`, repo, installationId: ev.installationId, issue: ev.pr, body });
      }
      if (!routed.policy) this.r.logger.debug({ event: ev.id, kind: ev.kind, note: routed.note }, 'event changes nothing');
      await this.forgetIfClosed(repo, ev);
      return;
    }
    for (const [i, env] of environments.entries()) {
      // One answer per command, and one waiting notice: the first environment's, in the same commit
      // as its decision, so a crash after the commit still sends it once and a redelivered event
      // sends nothing more.
      const notices =
        i !== 0
          ? undefined
          : ev.kind === 'command'
            ? ({ actions, state }: Decision): NotificationJob[] => [
                ...(reaction ? [reaction] : []),
                ...(ev.pr !== null && actions.length > 0
                  ? [{ type: 'reply' as const, key: `reply.${ev.id}`, repo, installationId: ev.installationId, issue: ev.pr, body: commandReply(ev, actions, this.r.botName ?? 'stagecraft', state) }]
                  : []),
              ]
            : waiting
              ? () => [waiting]
              : undefined;
      await this.dispatch(env, ev.id, routed.policy!, { heads, ...(notices ? { notices } : {}) });
    }
    await this.forgetIfClosed(repo, ev);
  }

  /**
   * What to tell a PR whose head its required checks keep out of staging (every other rule lets it
   * in), when that is news: a head a PR update brings, or one whose checks event changed what it
   * waits for. A staged head whose check runs again stays on staging meanwhile and is told nothing;
   * one whose check failed leaves staging and is told. Only with the GitHub App (the notifications).
   */
  private async waitingNotice(
    ev: NormalizedEvent,
    repository: RepositoryRules,
    routed: RoutedEvent,
    knownPr: PullRequestHead | null,
    checks: RoutedHeadChecks,
    roles: ReadonlyMap<string, Role>,
  ): Promise<NotificationJob | null> {
    if (!this.r.notifications || checks.now.state === 'green') return null;
    const changed = checks.before === undefined || checksReason(checks.before) !== checksReason(checks.now);
    const head =
      ev.kind === 'pull_request' && PR_UPDATES.has(ev.action) && routed.headsUpdate?.kind === 'pr-upsert'
        ? routed.headsUpdate.head
        : ev.kind === 'checks' && knownPr?.sha === ev.sha && changed
          ? knownPr
          : null;
    if (head === null || head.sha !== checks.sha) return null;
    const now = this.r.clock();
    const verdict = await this.r.heads.verdictOf(head, { repository, now, roles, checks: checks.now });
    if (verdict?.rule !== 'checks') return null;
    if (ev.kind === 'checks' && checks.now.state === 'pending' && (checks.inStaging ?? (await this.onStaging(head)))) return null;
    return waitingNotification({ repo: repository.name, number: head.number, sha: head.sha }, { reason: verdict.reason, checks: checks.now.state }, now, ev.installationId);
  }

  /** The open PR whose head a commit is (one targeting main first: only those are staged). */
  private async prAtHead(repository: RepositoryRules, sha: string): Promise<PullRequestHead | null> {
    const prs = await this.r.heads.prsAtHead(repository.name, sha);
    return prs.find((p) => p.baseRef === repository.mainBranch) ?? prs[0] ?? null;
  }

  /**
   * How the event's head's required checks stand, when its repository requires any: a PR event's
   * head (read from GitHub when it is a new head), or what a checks event reports (before and after
   * it, and whether the head is on staging when they turned green or red).
   */
  private async checksOfEvent(ev: NormalizedEvent, repository: RepositoryRules, knownPr: PullRequestHead | null): Promise<RoutedHeadChecks | null> {
    if (this.headChecks.requiresNone(repository)) return null;
    if (ev.kind === 'pull_request') {
      if (ev.action === 'closed') return null;
      const now = await this.headChecks.ofHead(repository, ev.sha, ev.installationId, PR_UPDATES.has(ev.action));
      return now ? { sha: ev.sha, now } : null;
    }
    if (ev.kind !== 'checks') return null;
    const verdicts = await this.headChecks.report(repository, ev, knownPr?.sha === ev.sha ? knownPr : null);
    if (!verdicts || !knownPr || knownPr.sha !== ev.sha) return verdicts ? { sha: ev.sha, ...verdicts } : null;
    const turned = (verdicts.now.state === 'green' && verdicts.before.state !== 'green') || (verdicts.now.state === 'failed' && verdicts.before.state !== 'failed');
    return { sha: ev.sha, ...verdicts, ...(turned ? { inStaging: await this.onStaging(knownPr) } : {}) };
  }

  /**
   * Whether this PR head is on staging: deployed by an environment's last successful deploy, or in
   * a cycle running now (which will deploy it). A pending cycle composes later, from the heads then.
   */
  private async onStaging(pr: PrHead): Promise<boolean> {
    const same = (p: PrHead) => p.number === pr.number && p.sha === pr.sha && p.repo.toLowerCase() === pr.repo.toLowerCase();
    for (const env of this.r.environments) {
      const [deployed, { state }] = await Promise.all([this.r.heads.deployed(env), this.r.states.load(env)]);
      if (deployed?.prs.some(same)) return true;
      const running = state.running ? await this.r.cycles.get(state.running.id) : null;
      if (running?.prs.some(same)) return true;
    }
    return false;
  }

  /**
   * A closed PR's approval, skip and notifier bookkeeping go with it — only once its close is what
   * the heads hold: a late `closed` delivered after a newer reopen leaves the reopened PR's approval.
   */
  private async forgetIfClosed(repo: string, ev: NormalizedEvent): Promise<void> {
    if (ev.kind !== 'pull_request' || ev.action !== 'closed') return;
    if ((await this.r.heads.getPr(repo, ev.pr)) === null) await this.r.heads.forgetPr(repo, ev.pr);
  }

  /** `@bot status`: each environment's running and next cycle, as explain() has it. */
  private async statusReply(): Promise<string> {
    const now = this.r.clock();
    const states = await Promise.all(this.r.environments.map(async (env) => (await this.r.states.load(env)).state));
    return renderExplanations(states.map((state) => explain(state, this.r.settings, now)), now);
  }

  /** promote / approve / reject / rollback: answered on the PR, or with a reaction on a commit comment. */
  private async promotionCommand(ev: CommandEvent): Promise<void> {
    const answer = this.r.promotions
      ? await runPromotionCommand(ev, this.r.promotions)
      : { ok: false, message: 'promotion is not set up on this scheduler' };
    // The dashboard and the CLI wait for this answer (their events have no comment to answer on).
    await this.r.redis.set(this.r.keys.commandAnswer(ev.id), JSON.stringify(answer), 'EX', COMMAND_ANSWER_TTL_SECONDS);
    if (ev.pr !== null) {
      await this.notify({ type: 'reply', key: `reply.${ev.id}`, repo: ev.repo, installationId: ev.installationId, issue: ev.pr, body: `@${ev.by} ${answer.ok ? '' : 'refused: '}${answer.message}` });
    } else if (ev.commentId !== 0) {
      await this.notify({ type: 'reaction', key: `react.${ev.commentId}.answer`, repo: ev.repo, installationId: ev.installationId, commentId: ev.commentId, content: answer.ok ? '+1' : 'confused' });
    }
  }

  private async notify(job: NotificationJob): Promise<void> {
    if (this.r.notifications) await enqueueNotification(this.r.notifications, job);
  }

  /**
   * Runs one policy event to completion; `eventId` makes it apply at most once. Its head updates,
   * notices and deployed heads are committed with the decision (see DispatchEffects).
   */
  async dispatch(env: string, eventId: string | null, event: PolicyEvent, effects: DispatchEffects = {}): Promise<PolicyAction[]> {
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      const stored = await this.r.states.load(env);
      if (stored.outbox.length > 0) {
        // A previous commit's actions may not have been applied (its process died): they are
        // idempotent, so apply them before deciding anything new.
        const followUps = await this.applyActions(env, stored.outbox, stored.version);
        await this.r.states.clearOutbox(env, stored.version);
        await this.dispatchAll(env, followUps);
      }
      const now = this.r.clock();
      const decision = decide(stored.state, event, now, this.r.settings);
      const outbox: OutboxAction[] = [...decision.actions, ...(effects.notices?.(decision) ?? []).map((job) => ({ type: 'notify' as const, job }))];
      const deployed = effects.deployed?.(stored.state) ?? null;
      const { outcome, version } = await this.r.states.commit(env, stored.version, decision.state, outbox, eventId, {
        ...(effects.heads ? { heads: effects.heads } : {}),
        deployed,
      });
      if (outcome === 'duplicate') return [];
      if (outcome === 'conflict') {
        // Another replica committed first: back off a little, with jitter, so racers spread out.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
        continue;
      }
      if (outbox.length > 0) {
        const followUps = await this.applyActions(env, outbox, version);
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
      await this.dispatch(env, `finished:${cycleId}`, { type: 'cycle-finished', cycleId, result: 'failed', deployed: false, tested: false });
      return null;
    }
    const cancelled = (await this.r.redis.exists(this.r.keys.cycleCancelled(cycleId))) === 1;
    const state = record.state === 'running' ? outcomeOf(record, cancelled) : record.state;
    const finished = record.state === 'running' ? await this.r.cycles.finish(cycleId, state, this.r.clock()) : record;
    const deployed = stageStatus(record, 'deploy') === 'succeeded';
    const tested = ['succeeded', 'failed'].includes(stageStatus(record, 'test-kernel') ?? '');
    const failed = record.stages.find((s) => s.status === 'failed') ?? null;
    // A promotion's cycle is not one decide() started: its request, not the environment state, follows it.
    if (!record.release) {
      if (record.bisect) await this.recordBisectStep(record, state);
      // Staging runs this cycle's heads only once its deploy succeeded: recorded with the decision
      // that ends the cycle (while it is still the running one), so a re-run changes nothing.
      const event: PolicyEvent = {
        type: 'cycle-finished',
        cycleId,
        result: state,
        deployed,
        tested,
        failedStage: failed?.stage ?? null,
        candidates: state === 'failed' && failed ? await this.suspectsOf(record, failedComponentsOf(failed, record)) : [],
      };
      await this.dispatch(env, `finished:${cycleId}`, event, {
        deployed: (before) => (deployed && before.running?.id === cycleId ? deployedHeadsOf(record) : null),
      });
    }
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

  private async prPaths(repo: string, pr: number, installationId: number | null): Promise<string[] | null> {
    if (!this.r.changedPaths) return null;
    try {
      return await this.r.changedPaths.ofPullRequest(repo, pr, installationId);
    } catch (err) {
      // Not knowing the files only widens the cycle to every component; it must not lose the event.
      this.r.logger.warn({ repo, pr, err: (err as Error).message }, "could not list the PR files; every component of its repository counts");
      return null;
    }
  }

  /** A PR a command names but no webhook announced: ask GitHub, and track it from now on. */
  private async lookUpPr(repo: string, pr: number, installationId: number | null): Promise<PullRequestHead | null> {
    if (!this.r.pullRequests) return null;
    try {
      const readAt = this.r.clock();
      const head = await this.r.pullRequests.head(repo, pr, installationId);
      if (head) await this.r.heads.apply([{ kind: 'pr-upsert', head, order: remoteOrder(readAt, updatedAtMs(head.updatedAt)) }]);
      return head;
    } catch (err) {
      this.r.logger.warn({ repo, pr, err: (err as Error).message }, 'could not look up the PR; its author counts as untrusted');
      return null;
    }
  }

  /**
   * What changed on main since the main the first environment last deployed (the compare API),
   * so pushes that were missed or came in a truncated payload still count.
   */
  private async mainPaths(repo: string, ev: Extract<NormalizedEvent, { kind: 'push' }>): Promise<string[] | null> {
    const env = this.r.environments[0];
    const deployed = env ? await this.r.heads.deployed(env) : null;
    const base = deployed?.mains[repo] ?? (/^0+$/.test(ev.before) ? null : ev.before);
    if (!base || base === ev.sha) return ev.paths;
    try {
      return await this.r.changedPaths!.ofMain(repo, base, ev.sha, ev.installationId);
    } catch (err) {
      this.r.logger.warn({ repo, base, head: ev.sha, err: (err as Error).message }, 'could not compare main; using the push payload');
      return ev.paths;
    }
  }

  /** Events an action produced; dispatched only once the commit that caused them is fully applied. */
  private async dispatchAll(env: string, followUps: FollowUp[]): Promise<void> {
    for (const { id, event } of followUps) await this.dispatch(env, id, event);
  }

  /** Applies a commit's outbox; `version` is the commit's, so the events it produces have ids a replay repeats. */
  private async applyActions(env: string, actions: OutboxAction[], version: number): Promise<FollowUp[]> {
    const followUps: FollowUp[] = [];
    for (const action of actions) {
      switch (action.type) {
        case 'notify':
          await this.notify(action.job);
          break;
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
          await this.r.heads.approve(this.repoOfAction(action.repo), action.pr, action.sha, action.by);
          this.r.logger.info({ env, repo: action.repo, pr: action.pr, sha: action.sha, by: action.by }, 'head approved for staging');
          break;
        case 'skip-pr':
          await this.r.heads.skip(this.repoOfAction(action.repo), action.pr, action.by);
          this.r.logger.info({ env, repo: action.repo, pr: action.pr, by: action.by }, 'PR skipped');
          break;
        case 'unskip-pr':
          await this.r.heads.unskip(this.repoOfAction(action.repo), action.pr);
          break;
        case 'check-updates': {
          const found = await this.checkUpdates(env);
          if (found) followUps.push({ id: `updates-found:${version}`, event: found });
          break;
        }
        case 'exclude-pr':
          await this.excludePr(env, action);
          break;
        case 'blame-main':
          await this.concludeBisection(action.origin, { kind: 'main' });
          await this.notify({ type: 'main-broken', key: `main-broken.${action.origin}`, originCycleId: action.origin, stage: action.stage, steps: action.steps });
          this.r.logger.warn({ env, origin: action.origin, stage: action.stage, steps: action.steps }, 'bisection: main alone fails; no PR is excluded');
          this.r.onBisectionVerdict?.(env, 'main');
          break;
        case 'bisection-abandoned':
          await this.concludeBisection(action.origin, { kind: 'abandoned', reason: action.reason });
          this.r.logger.warn({ env, origin: action.origin, reason: action.reason }, 'bisection stopped without a verdict');
          this.r.onBisectionVerdict?.(env, 'abandoned');
          break;
        case 'refuse-command':
        case 'ignore-change':
          this.r.logger.info({ env, action }, action.type === 'refuse-command' ? 'command refused' : 'change ignored');
          this.r.onNotice?.(env, action);
          break;
      }
    }
    return followUps;
  }

  /** An action's repository; one committed before actions named theirs is the first repository's. */
  private repoOfAction(repo: string | null): string {
    return repo ?? this.r.repositories[0]!.name;
  }

  /**
   * The cycle's PRs that may have broken it: those whose changed files touch a failing component
   * (what the head touches, as recorded when it came), or every PR when none does. In merge order.
   */
  private async suspectsOf(record: CycleRecord, failing: string[]): Promise<PrRef[]> {
    const heads = await Promise.all(record.prs.map((p) => this.r.heads.getPr(p.repo, p.number)));
    const touching = record.prs.filter((p, i) => {
      const head = heads[i];
      const touches = head?.sha === p.sha ? head.touches : undefined;
      return touches === undefined || touches === 'all' || touches.some((c) => failing.includes(c));
    });
    return (touching.length > 0 ? touching : record.prs).map((p) => ({ repo: p.repo, number: p.number, sha: p.sha }));
  }

  /** A bisection found the PR: it stays out at this head, its author is told why and how to come back. */
  private async excludePr(env: string, action: Extract<PolicyAction, { type: 'exclude-pr' }>): Promise<void> {
    const { pr, origin, stage, steps } = action;
    await this.r.heads.exclude(pr.repo, pr.number, {
      sha: pr.sha,
      reason: `it broke ${stage} in ${origin} (found by bisection in ${steps} cycle${steps === 1 ? '' : 's'})`,
      cycleId: origin,
      stage,
      at: this.r.clock(),
    });
    await this.concludeBisection(origin, { kind: 'pr', pr: { repo: pr.repo, number: pr.number, sha: pr.sha } });
    await this.notify({ type: 'exclusion', key: `exclusion.${origin}`, repo: pr.repo, installationId: null, pr: pr.number, sha: pr.sha, originCycleId: origin, stage, steps });
    this.r.logger.warn({ env, repo: pr.repo, pr: pr.number, sha: pr.sha, origin, stage, steps }, 'bisection found the PR that breaks staging: excluded at this head');
    this.r.onBisectionVerdict?.(env, 'pr');
  }

  /** The bisected cycle's record gets the verdict (its tree: the steps, then this). */
  private async concludeBisection(origin: string, verdict: NonNullable<BisectionRecord['verdict']>): Promise<void> {
    const record = await this.r.cycles.get(origin);
    if (record?.bisection) await this.r.cycles.update(origin, { bisection: { ...record.bisection, verdict } });
  }

  /** A bisection step ended: its result goes into the bisected cycle's tree. */
  private async recordBisectStep(step: CycleRecord, state: CycleState): Promise<void> {
    const origin = step.bisect ? await this.r.cycles.get(step.bisect.origin) : null;
    if (!origin?.bisection) return;
    const result: BisectionRecord['steps'][number]['result'] = state === 'succeeded' ? 'passed' : state === 'failed' ? 'failed' : 'cancelled';
    const steps = origin.bisection.steps.map((s) => (s.cycleId === step.id ? { ...s, result } : s));
    await this.r.cycles.update(origin.id, { bisection: { ...origin.bisection, steps } });
  }

  private async startCycle(cycle: StartCycle): Promise<void> {
    if (cycle.bisect) return this.startBisectStep(cycle, cycle.bisect);
    const snapshot = await this.readySnapshot();
    const repos = this.r.repositories.map((r): RepoHeads => ({ repo: r.name, mainSha: snapshot.mains[r.name] ?? null, stagingSha: null }));
    await this.launchCycle(cycle, { repos, prs: snapshot.prs, waiting: snapshot.waiting });
  }

  /**
   * A bisection step composes main as the bisected cycle had it, plus exactly the step's PRs (at
   * the heads that cycle merged), so each step differs from the failed cycle only by the PRs left out.
   */
  private async startBisectStep(cycle: StartCycle, bisect: NonNullable<StartCycle['bisect']>): Promise<void> {
    const origin = await this.r.cycles.get(bisect.origin);
    const repos = (origin?.repos ?? this.r.repositories.map((r) => ({ repo: r.name, mainSha: null }))).map((r): RepoHeads => ({ repo: r.repo, mainSha: r.mainSha, stagingSha: null }));
    const prs = bisect.prs.map((p) => ({ repo: p.repo, number: p.number, sha: p.sha }));
    if (origin) {
      // The tree on the bisected cycle: its candidates, each step as it starts.
      const known = origin.bisection ?? { stage: bisect.stage, candidates: origin.prs, steps: [], verdict: null };
      const steps = [...known.steps.filter((s) => s.cycleId !== cycle.id), { cycleId: cycle.id, prs, result: null }];
      if (bisect.step === 1 && !origin.bisection) this.r.onBisectionStarted?.(cycle.env);
      await this.r.cycles.update(origin.id, { bisection: { ...known, steps } });
    }
    await this.launchCycle(cycle, { repos, prs, bisect: { origin: bisect.origin, stage: bisect.stage, step: bisect.step, maxSteps: bisect.maxSteps } });
  }

  /**
   * Creates the cycle's record from what it composes, then its flow. A replayed start (outbox)
   * keeps the first record and builds the flow from it, so both runs agree.
   */
  private async launchCycle(cycle: StartCycle, heads: Pick<CycleRecord, 'repos' | 'prs'> & Partial<Pick<CycleRecord, 'waiting' | 'bisect'>>): Promise<void> {
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
      mainSha: heads.repos[0]?.mainSha ?? null,
      stagingSha: null,
      cancelReason: null,
      ...heads,
    });
    const record = await this.r.cycles.get(cycle.id);
    if (!record) throw new Error(`cycle ${cycle.id} vanished right after it was created`);
    await this.r.flows.add(cycleFlow(record));
    await this.notify(cycleNotification(record.id, 'started'));
    this.r.logger.info(
      { cycleId: record.id, kind: record.kind, trigger: record.trigger, reason: record.reason, prs: record.prs.length, ...(record.bisect ? { bisect: record.bisect } : {}) },
      record.bisect ? 'bisection step started' : 'cycle started',
    );
    this.r.onCycleStarted?.(record);
  }

  private async readySnapshot(): Promise<ReadySnapshot> {
    const required = await this.headChecks.requiredByRepository(this.r.repositories);
    return this.r.heads.readySnapshot({
      repositories: this.r.repositories,
      now: this.r.clock(),
      roles: this.roles,
      ...(required.size > 0 ? { checks: { required, store: this.headChecks.store } } : {}),
    });
  }

  /**
   * Brings the heads up to what GitHub has now — main, every open PR, and the end of PRs no longer
   * open — each only forward, as a webhook would; a lost webhook is found this way. When GitHub
   * cannot be read, the check goes on with what the webhooks said.
   */
  private async refreshHeads(remote: RemoteHeads): Promise<void> {
    try {
      const readAt = this.r.clock();
      const [now, known] = await Promise.all([remote.read(), this.r.heads.knownPrs()]);
      const open = new Set(now.prs.map((p) => pullRequestKey(p.repo, p.number)));
      // Only repositories GitHub answered for: a PR of one it did not list is not known to be closed.
      const read = new Set(Object.keys(now.mains).map((repo) => repo.toLowerCase()));
      const updates: HeadsUpdate[] = [
        ...Object.entries(now.mains).flatMap(([repo, sha]) => (sha ? [{ kind: 'main' as const, repo, sha, order: { sha, ...remoteOrder(readAt) } }] : [])),
        ...now.prs.map((head) => ({ kind: 'pr-upsert' as const, head, order: remoteOrder(readAt, updatedAtMs(head.updatedAt)) })),
        ...known
          .filter((pr) => read.has(pr.repo.toLowerCase()) && !open.has(pullRequestKey(pr.repo, pr.number)))
          .map((pr) => ({ kind: 'pr-remove' as const, repo: pr.repo, pr: pr.number, order: remoteOrder(readAt) })),
      ];
      const moved = await this.r.heads.apply(updates);
      if (moved > 0) this.r.logger.info({ moved }, 'idle check: GitHub had heads no webhook brought');
    } catch (err) {
      this.r.logger.warn({ err: (err as Error).message }, 'idle check could not read GitHub; comparing the heads webhooks brought');
    }
  }

  /** Heads waiting for their checks are read from GitHub again: a lost checks webhook is found this way. */
  private async refreshChecks(): Promise<void> {
    if (this.r.repositories.every((r) => this.headChecks.requiresNone(r))) return;
    try {
      const read = await this.headChecks.refresh(await this.r.heads.openPrs(), this.r.repositories);
      if (read > 0) this.r.logger.debug({ read }, "idle check: read the checks of PR heads not green yet from GitHub");
    } catch (err) {
      this.r.logger.warn({ err: (err as Error).message }, "idle check could not read the PR heads' checks; comparing what the webhooks reported");
    }
  }

  /** The idle check proper: heads that no successful deploy has put on staging yet mean a cycle is due. */
  private async checkUpdates(env: string): Promise<PolicyEvent | null> {
    if (this.r.remoteHeads) await this.refreshHeads(this.r.remoteHeads);
    await this.refreshChecks();
    const [current, deployed] = await Promise.all([
      this.readySnapshot(),
      this.r.heads.deployed(env),
    ]);
    if (Object.values(current.mains).every((sha) => sha === null) && current.prs.length === 0) return null;
    if (deployed && sameHeads(current, deployed)) {
      this.r.logger.debug({ env }, 'idle check: nothing new');
      return null;
    }
    this.r.logger.info({ env, mains: current.mains, prs: current.prs.length }, 'idle check found new commits');
    return { type: 'updates-found', components: 'all', rebuild: 'all' };
  }
}

/** The order of a head read from GitHub at `readAt` (see REMOTE_READ_MARGIN_MS). */
function remoteOrder(readAt: number, at: number | undefined = readAt - REMOTE_READ_MARGIN_MS) {
  return { at, receivedAt: readAt };
}

function stageStatus(record: CycleRecord, stage: StageName): StageStatus | null {
  return record.stages.find((s) => s.stage === stage)?.status ?? null;
}

/** Same main in every repository and the same PRs at the same heads (repository names in any case). */
function sameHeads(a: HeadsSnapshot, b: HeadsSnapshot): boolean {
  const mains = (s: HeadsSnapshot) => JSON.stringify(Object.entries(s.mains).map(([repo, sha]) => [repo.toLowerCase(), sha]).sort());
  const prs = (s: HeadsSnapshot) => JSON.stringify(s.prs.map((p) => [pullRequestKey(p.repo, p.number), p.sha]).sort());
  return mains(a) === mains(b) && prs(a) === prs(b);
}

/**
 * The components a failed stage names as failing (`failedComponents` in its details or results
 * file, e.g. the build Jobs that failed); every one of the cycle's when it names none.
 */
function failedComponentsOf(result: StageResult, record: CycleRecord): string[] {
  const details = result.details ?? {};
  const results = (details['results'] ?? {}) as Record<string, unknown>;
  const named = details['failedComponents'] ?? results['failedComponents'];
  return Array.isArray(named) && named.length > 0 && named.every((c) => typeof c === 'string') ? (named as string[]) : record.components;
}


/** What a cycle whose deploy succeeded put on the environment: each repository's main and the PRs it composed. */
function deployedHeadsOf(record: CycleRecord): HeadsSnapshot {
  const repos = record.repos ?? [];
  const mains = Object.fromEntries(repos.map((r) => [r.repo, r.mainSha]));
  return { mains, prs: record.prs.map((p: PrHead) => ({ repo: p.repo, number: p.number, sha: p.sha })) };
}

function outcomeOf(record: CycleRecord, cancelled: boolean): Exclude<CycleState, 'running'> {
  if (cancelled || record.stages.some((s) => s.status === 'cancelled')) return 'cancelled';
  const expected = stagesOfCycle(record);
  const allRan = expected.every((stage) => record.stages.some((s) => s.stage === stage));
  if (!allRan || record.stages.some((s) => s.status === 'failed')) return 'failed';
  return 'succeeded';
}
