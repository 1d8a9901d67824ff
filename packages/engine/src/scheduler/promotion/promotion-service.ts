import type { FlowProducer } from 'bullmq';
import {
  approvePromotion,
  closePromotion,
  expirePromotion,
  isExpired,
  newestEligibleRelease,
  nextDeployTime,
  releaseIneligibility,
  requestPromotion,
  type DenyWindow,
  type PromotionAction,
  type PromotionRequest,
  type ReleaseFacts,
} from '@stagecraft/policy';
import { cycleNotification, enqueueNotification, type CatalogQueue, type NotificationJob } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { CycleStore } from '../../store/cycle-store.js';
import type { CycleRecord } from '../../store/cycle-record.js';
import type { HeadsStore } from '../../store/heads-store.js';
import type { PromotionStore } from '../../store/promotion-store.js';
import type { ReleaseAuditLog, AuditStep } from '../../store/release-audit-log.js';
import type { ReleaseRecord } from '../../store/release-record.js';
import type { ReleaseStore } from '../../store/release-store.js';
import { cycleFlow } from '../cycle-flow.js';
import { releaseOfCycle } from './release-of-cycle.js';

/** An environment's promotion settings (config environments.<env>). */
export interface PromotionEnvironment {
  /** Deploys here only by promotion (approval: true). */
  approval: boolean;
  from: string;
  requires: 'full' | 'partial';
  approvals: number;
  noSelfApproval: boolean;
  requestTtl: number;
  denyWindows: DenyWindow[];
  keepReleases: number;
}

/** Who may approve and who may override a deny window (trust.approvers, trust.admins, teams resolved). */
export interface PromotionRoles {
  isApprover(login: string): Promise<boolean>;
  isAdmin(login: string): Promise<boolean>;
}

export interface PromotionResources {
  releases: ReleaseStore;
  promotions: PromotionStore;
  audit: ReleaseAuditLog;
  cycles: CycleStore;
  heads: HeadsStore;
  flows: Pick<FlowProducer, 'add'>;
  /** Delayed checks of a request: expiry, the end of a deny window. */
  timers: Pick<CatalogQueue<'promotions'>, 'add'>;
  notifications?: Pick<CatalogQueue<'notifications'>, 'add'>;
  roles: PromotionRoles;
  environments: Record<string, PromotionEnvironment>;
  logger: Logger;
  clock: () => number;
  onCycleStarted?: (record: CycleRecord) => void;
}

/** What a command, the CLI or the dashboard is told. */
export type PromotionAnswer = { ok: true; message: string; request: PromotionRequest } | { ok: false; message: string };

/**
 * Releases and their promotion: records what each cycle deployed, takes promote/approve/reject/
 * cancel/rollback asks through the pure rules of @stagecraft/policy (each request changed
 * atomically in Redis), and runs a promotion's cycle with the release's images once it may deploy.
 */
export class PromotionService {
  constructor(private readonly r: PromotionResources) {}

  /** Environments deployed only by promotion. */
  promotedEnvironments(): string[] {
    return Object.entries(this.r.environments)
      .filter(([, e]) => e.approval)
      .map(([name]) => name);
  }

  /** A cycle ended: keep what it deployed as a release, and move its promotion on. */
  async cycleFinished(record: CycleRecord): Promise<void> {
    const env = this.r.environments[record.env];
    const release = await releaseOfCycle(record, { heads: this.r.heads, releases: this.r.releases });
    if (release) {
      await this.r.releases.record(release, env?.keepReleases ?? 50);
      this.r.logger.info({ release: release.id, env: release.env, outcome: release.outcome }, 'release recorded');
    }
    if (!record.release) return;
    const succeeded = record.state === 'succeeded';
    const updated = await this.r.promotions.update(record.release.requestId, (request) => ({
      next: request.state === 'deploying' ? { ...request, state: succeeded ? 'deployed' : 'failed', reason: succeeded ? null : `cycle ${record.id} ${record.state}`, updatedAt: this.r.clock() } : null,
      result: null,
    }));
    await this.r.promotions.releaseActive(record.env, record.release.requestId);
    if (updated) {
      const step: AuditStep = !succeeded ? 'failed' : updated.request.action === 'rollback' ? 'rolled-back' : 'deployed';
      await this.audit(updated.request, step, null, `${updated.request.action === 'rollback' ? 'rollback to' : 'promotion of'} ${record.release.id}: cycle ${record.id} ${record.state}`);
      if (succeeded && updated.request.action === 'promote') await this.tellPullRequests(updated.request, release);
    }
    await this.startNext(record.env);
  }

  /** `promote [release-id | sha]`: by default the newest release of the source that passed. */
  async promote(ask: { env: string; by: string; ref?: string | null }): Promise<PromotionAnswer> {
    return this.ask('promote', ask);
  }

  /** `rollback [release-id]`: by default the production release before the current one. */
  async rollback(ask: { env: string; by: string; ref?: string | null }): Promise<PromotionAnswer> {
    return this.ask('rollback', ask);
  }

  async approve(ask: { env: string; by: string; requestId?: string | null }): Promise<PromotionAnswer> {
    const found = await this.openRequest(ask.env, ask.requestId);
    if (!found.ok) return found;
    const env = this.r.environments[ask.env]!;
    const who = { login: ask.by, isApprover: await this.r.roles.isApprover(ask.by) };
    const now = this.r.clock();
    const outcome = await this.r.promotions.update(found.request.id, (request) => {
      const answer = approvePromotion(request, who, env.noSelfApproval, now);
      return answer.ok ? { next: answer.value, result: null } : { next: null, result: answer.reason };
    });
    if (!outcome) return { ok: false, message: `request ${found.request.id} is gone` };
    if (outcome.result !== null) return this.refused(outcome.request, ask.by, outcome.result);
    const request = outcome.request;
    await this.audit(request, 'approved', ask.by, `approved by @${ask.by} (${request.approvals.length} of ${request.required})`);
    if (request.state === 'approved') return this.scheduleDeploy(request);
    return { ok: true, message: `@${ask.by} approved ${request.id} (${request.releaseId}): ${request.approvals.length} of ${request.required} approvals`, request };
  }

  async reject(ask: { env: string; by: string; requestId?: string | null; reason?: string | null }): Promise<PromotionAnswer> {
    return this.close('rejected', ask);
  }

  async cancel(ask: { env: string; by: string; requestId?: string | null; reason?: string | null }): Promise<PromotionAnswer> {
    return this.close('cancelled', ask);
  }

  /** An admin deploys an approved request inside a deny window; the reason is audited. */
  async override(ask: { env: string; by: string; requestId?: string | null; reason: string }): Promise<PromotionAnswer> {
    if (!ask.reason.trim()) return { ok: false, message: 'an override needs a reason (it is kept in the audit log)' };
    const found = await this.openRequest(ask.env, ask.requestId);
    if (!found.ok) return found;
    if (!(await this.r.roles.isAdmin(ask.by))) return this.refused(found.request, ask.by, `@${ask.by} is not an admin (trust.admins) and cannot override a deny window`);
    const now = this.r.clock();
    const outcome = await this.r.promotions.update(found.request.id, (request) =>
      request.state === 'approved' ? { next: { ...request, deployAt: now, override: { by: ask.by, reason: ask.reason, at: now }, updatedAt: now }, result: null } : { next: null, result: `request ${request.id} is ${request.state}, not approved and waiting` },
    );
    if (!outcome) return { ok: false, message: `request ${found.request.id} is gone` };
    if (outcome.result !== null) return this.refused(outcome.request, ask.by, outcome.result);
    await this.audit(outcome.request, 'override', ask.by, `deny window overridden by @${ask.by}: ${ask.reason}`);
    return this.deployIfDue(outcome.request.id);
  }

  /** The delayed check of a request: expire it, or deploy it once its deny window ended. */
  async timerFired(requestId: string): Promise<void> {
    const now = this.r.clock();
    const expired = await this.r.promotions.update(requestId, (request) => ({ next: isExpired(request, now) ? expirePromotion(request, now) : null, result: null }));
    if (expired && expired.request.state === 'expired' && expired.request.updatedAt === now) {
      await this.audit(expired.request, 'expired', null, expired.request.reason ?? 'expired');
      return;
    }
    await this.deployIfDue(requestId);
  }

  async listRequests(env: string, limit = 50): Promise<PromotionRequest[]> {
    return this.r.promotions.list(env, limit);
  }

  // ---------------------------------------------------------------------------------------------

  private async ask(action: PromotionAction, ask: { env: string; by: string; ref?: string | null }): Promise<PromotionAnswer> {
    const env = this.r.environments[ask.env];
    if (!env?.approval) return { ok: false, message: `${ask.env} is not an environment deployed by promotion (environments.${ask.env}.approval is not true)` };
    const chosen = action === 'promote' ? await this.releaseToPromote(ask.env, env, ask.ref ?? null) : await this.releaseToRollBackTo(ask.env, ask.ref ?? null);
    const now = this.r.clock();
    const by = { login: ask.by, isApprover: await this.r.roles.isApprover(ask.by) };
    if ('reason' in chosen) {
      await this.r.audit.append({ at: now, env: ask.env, step: 'refused', by: ask.by, request: null, release: ask.ref ?? null, message: chosen.reason });
      return { ok: false, message: chosen.reason };
    }
    const answer = requestPromotion(
      { id: await this.r.promotions.nextId(ask.env), env: ask.env, action, release: chosen.facts, by, now },
      { approvals: env.approvals, noSelfApproval: env.noSelfApproval, requestTtlMs: env.requestTtl, requires: env.requires },
    );
    if (!answer.ok) {
      await this.r.audit.append({ at: now, env: ask.env, step: 'refused', by: ask.by, request: null, release: chosen.facts.id, message: answer.reason });
      return { ok: false, message: answer.reason };
    }
    const request = answer.value;
    await this.r.promotions.create(request);
    await this.audit(request, 'asked', ask.by, `@${ask.by} asked to ${action === 'promote' ? 'promote' : 'roll back to'} ${request.releaseId}${request.approvals.length > 0 ? ' (counts as an approval)' : ''}`);
    await this.r.timers.add('expire', { requestId: request.id }, { delay: Math.max(0, request.expiresAt - now), jobId: `${request.id}.expire` });
    if (request.state === 'approved') return this.scheduleDeploy(request);
    return { ok: true, message: `${request.id}: ${action === 'promote' ? 'promote' : 'roll back to'} ${request.releaseId} to ${ask.env}, waiting for ${request.required - request.approvals.length} more approval(s) from trust.approvers`, request };
  }

  private async releaseToPromote(envName: string, env: PromotionEnvironment, ref: string | null): Promise<{ facts: ReleaseFacts } | { reason: string }> {
    if (ref) {
      const release = await this.r.releases.find(env.from, ref);
      if (!release) return { reason: `no release of ${env.from} is ${ref}: it never deployed there (see \`stagecraft releases --env ${env.from}\`)` };
      const facts = factsOf(release);
      const why = releaseIneligibility(facts, env.from, env.requires);
      return why ? { reason: why } : { facts };
    }
    const newest = newestEligibleRelease((await this.r.releases.list(env.from, 200)).map(factsOf), env.from, env.requires);
    if ('reason' in newest) return { reason: `nothing to promote to ${envName}: ${newest.reason}` };
    return { facts: newest.release };
  }

  /** The named production release, or the one before the newest that deployed successfully. */
  private async releaseToRollBackTo(env: string, ref: string | null): Promise<{ facts: ReleaseFacts } | { reason: string }> {
    const deployed = (await this.r.releases.list(env, 200)).filter((r) => r.outcome === 'succeeded');
    if (ref) {
      const release = deployed.find((r) => r.id === ref || r.sourceRelease === ref);
      if (!release) return { reason: `no successful ${env} release is ${ref}: pick one from \`stagecraft releases --env ${env}\`` };
      return { facts: { ...factsOf(release), env, passed: true } };
    }
    const previous = deployed[1];
    if (!previous) return { reason: `no earlier ${env} release to roll back to` };
    return { facts: { ...factsOf(previous), env, passed: true } };
  }

  private async close(how: 'rejected' | 'cancelled', ask: { env: string; by: string; requestId?: string | null; reason?: string | null }): Promise<PromotionAnswer> {
    const found = await this.openRequest(ask.env, ask.requestId);
    if (!found.ok) return found;
    const who = { login: ask.by, isApprover: await this.r.roles.isApprover(ask.by) };
    const now = this.r.clock();
    const outcome = await this.r.promotions.update(found.request.id, (request) => {
      const answer = closePromotion(request, how, who, ask.reason ?? null, now);
      return answer.ok ? { next: answer.value, result: null } : { next: null, result: answer.reason };
    });
    if (!outcome) return { ok: false, message: `request ${found.request.id} is gone` };
    if (outcome.result !== null) return this.refused(outcome.request, ask.by, outcome.result);
    await this.audit(outcome.request, how, ask.by, outcome.request.reason ?? how);
    return { ok: true, message: `${outcome.request.id} ${how}`, request: outcome.request };
  }

  /** The named request, else the newest one still open (waiting or approved). */
  private async openRequest(env: string, requestId: string | null | undefined): Promise<{ ok: true; request: PromotionRequest } | { ok: false; message: string }> {
    if (requestId) {
      const request = await this.r.promotions.get(requestId);
      return request && request.env === env ? { ok: true, request } : { ok: false, message: `no promotion request ${requestId} for ${env}` };
    }
    const open = (await this.r.promotions.list(env, 100)).find((r) => r.state === 'waiting' || r.state === 'approved');
    return open ? { ok: true, request: open } : { ok: false, message: `no promotion request for ${env} is waiting: ask with \`promote\` first` };
  }

  private async refused(request: PromotionRequest, by: string, reason: string): Promise<PromotionAnswer> {
    await this.audit(request, 'refused', by, reason);
    return { ok: false, message: reason };
  }

  /** Approved: when a deny window holds, wait for its end (rollbacks do not wait); then deploy. */
  private async scheduleDeploy(request: PromotionRequest): Promise<PromotionAnswer> {
    const env = this.r.environments[request.env]!;
    const now = this.r.clock();
    const next = request.action === 'rollback' ? { at: now, window: null } : nextDeployTime(now, env.denyWindows);
    const outcome = await this.r.promotions.update(request.id, (current) => ({ next: current.state === 'approved' && current.deployAt === null ? { ...current, deployAt: next.at, updatedAt: now } : null, result: null }));
    if (next.window && outcome) {
      const when = new Date(next.at).toISOString();
      await this.audit(outcome.request, 'delayed', null, `approved inside the deny window ${next.window.from} to ${next.window.to} (${next.window.timeZone}): deploys at ${when} unless an admin overrides`);
      await this.r.timers.add('deploy', { requestId: request.id }, { delay: Math.max(0, next.at - now), jobId: `${request.id}.deploy` });
      return { ok: true, message: `${request.id} approved; a deny window (${next.window.from} to ${next.window.to}, ${next.window.timeZone}) holds, so it deploys at ${when}`, request: outcome.request };
    }
    return this.deployIfDue(request.id);
  }

  /** Starts the request's cycle when it is approved, due, and the environment is free. */
  private async deployIfDue(requestId: string): Promise<PromotionAnswer> {
    const now = this.r.clock();
    const request = await this.r.promotions.get(requestId);
    if (!request) return { ok: false, message: `no promotion request ${requestId}` };
    if (request.state !== 'approved' || request.deployAt === null || request.deployAt > now) {
      return { ok: true, message: `${request.id} is ${request.state}${request.deployAt && request.deployAt > now ? `, deploying at ${new Date(request.deployAt).toISOString()}` : ''}`, request };
    }
    if (!(await this.r.promotions.takeActive(request.env, request.id))) {
      if ((await this.r.promotions.active(request.env)) === request.id) return { ok: true, message: `${request.id} is deploying`, request };
      return { ok: true, message: `${request.id} approved; it deploys once the ${request.env} cycle running now ends`, request };
    }
    const release = await this.r.releases.get(request.releaseId);
    const cycleId = `${request.env}-${request.id.slice(request.env.length + 1)}`;
    const started = await this.r.promotions.update(request.id, (current) => ({
      next: current.state === 'approved' ? { ...current, state: release ? 'deploying' : 'failed', cycleId: release ? cycleId : null, reason: release ? null : `release ${current.releaseId} is no longer kept`, updatedAt: now } : null,
      result: null,
    }));
    if (!started || started.request.state !== 'deploying' || !release) {
      await this.r.promotions.releaseActive(request.env, request.id);
      if (started?.request.state === 'failed') await this.audit(started.request, 'failed', null, started.request.reason ?? 'failed');
      return { ok: false, message: started?.request.reason ?? `${request.id} could not start` };
    }
    const record = await this.startCycle(started.request, release, cycleId);
    await this.audit(started.request, 'deploying', null, `cycle ${record.id} deploys ${release.id} to ${request.env}`);
    return { ok: true, message: `${request.id} approved: cycle ${record.id} deploys ${release.id} to ${request.env} now`, request: started.request };
  }

  private async startCycle(request: PromotionRequest, release: ReleaseRecord, cycleId: string): Promise<CycleRecord> {
    const components = Object.keys(release.images).length > 0 ? Object.keys(release.images) : release.components;
    await this.r.cycles.create({
      id: cycleId,
      env: request.env,
      kind: 'full',
      state: 'running',
      trigger: 'deploy-command',
      reason: `${request.action === 'rollback' ? 'rollback to' : 'promotion of'} ${release.sourceRelease ?? release.id} (${request.id}, approved by ${request.approvals.map((a) => `@${a.by}`).join(', ')})`,
      requestedBy: request.requestedBy,
      restarts: 0,
      startedAt: this.r.clock(),
      finishedAt: null,
      components,
      rebuild: [],
      mainSha: release.mainSha,
      stagingSha: release.stagingSha,
      repos: release.repos,
      prs: release.prs.map(({ repo, number, sha }) => ({ repo, number, sha })),
      cancelReason: null,
      release: { id: release.sourceRelease ?? release.id, requestId: request.id, images: release.images },
    });
    const record = (await this.r.cycles.get(cycleId))!;
    await this.r.flows.add(cycleFlow(record));
    await this.notify(cycleNotification(record.id, 'started'));
    this.r.logger.info({ cycleId, request: request.id, release: release.id }, 'promotion cycle started');
    this.r.onCycleStarted?.(record);
    return record;
  }

  /** The oldest approved request whose time has come, once the environment is free. */
  private async startNext(env: string): Promise<void> {
    const now = this.r.clock();
    const due = (await this.r.promotions.list(env, 100)).reverse().find((r) => r.state === 'approved' && r.deployAt !== null && r.deployAt <= now);
    if (due) await this.deployIfDue(due.id);
  }

  private async tellPullRequests(request: PromotionRequest, deployed: ReleaseRecord | null): Promise<void> {
    if (!deployed) return;
    for (const pr of deployed.prs) {
      await this.notify({
        type: 'reply',
        key: `promoted.${request.id}.${pr.repo}#${pr.number}`,
        repo: pr.repo,
        installationId: null,
        issue: pr.number,
        body: `Deployed to ${request.env} in release ${deployed.sourceRelease ?? deployed.id} (${request.id}, approved by ${request.approvals.map((a) => `@${a.by}`).join(', ')}).`,
      });
    }
  }

  private async notify(job: NotificationJob): Promise<void> {
    if (this.r.notifications) await enqueueNotification(this.r.notifications, job);
  }

  private async audit(request: PromotionRequest, step: AuditStep, by: string | null, message: string): Promise<void> {
    await this.r.audit.append({ at: this.r.clock(), env: request.env, step, by, request: request.id, release: request.releaseId, message });
    this.r.logger.info({ env: request.env, request: request.id, release: request.releaseId, step, by }, message);
  }
}

function factsOf(release: ReleaseRecord): ReleaseFacts {
  return {
    id: release.id,
    env: release.env,
    kind: release.cycleKind,
    passed: release.outcome === 'succeeded',
    outcome: release.outcome,
    prAuthors: release.prs.flatMap((p) => (p.author ? [p.author] : [])),
  };
}
