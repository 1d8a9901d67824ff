import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { publishDeployment, type DeploymentState } from './publish-deployment.js';
import { upsertCheckRun, type CheckRunState } from './upsert-check-run.js';
import { upsertMarkedComment, type CommentClient } from './upsert-marked-comment.js';
import { composeResultsOf, type StagecraftKeys } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { CycleRecord } from '@stagecraft/engine';
import type { CycleStore } from '@stagecraft/engine';
import { cycleReport } from './cycle-report.js';
import { cycleVerdict } from './cycle-verdict.js';
import { leftOutReason } from './left-out-reason.js';
import { holdLock } from '@stagecraft/engine';

export const PR_COMMENT_MARKER = '<!-- stagecraft:pr-comment -->';
// What the notifier remembers (ids, signatures) lives this long after its last write; a PR's goes when it closes.
const RETENTION_SECONDS = 30 * 24 * 3600;

export interface CyclePublisherResources {
  redis: Redis;
  keys: StagecraftKeys;
  cycles: Pick<CycleStore, 'get'>;
  client: (installationId: number | null) => Promise<CommentClient>;
  repo: { owner: string; repo: string };
  checkName: string;
  /** The dashboard's page for a cycle, when its public URL is known. */
  cycleUrl: (cycleId: string) => string | null;
  /** Environments GitHub should mark as production deployments. */
  productionEnvironments: string[];
  deployments: boolean;
  clock: () => number;
  logger: Logger;
}

/**
 * Brings what GitHub shows about a cycle in line with its record: a check run on each PR head,
 * the PR's one Stagecraft comment, a deployment per PR head once the deploy stage has begun, and
 * one comment per conflicting head. Everything it wrote is remembered in Redis (ids and what
 * was written), so running it again writes only what changed and never posts twice.
 */
export class CyclePublisher {
  constructor(private readonly r: CyclePublisherResources) {}

  async publish(cycleId: string, installationId: number | null): Promise<void> {
    const lock = await holdLock(this.r.redis, this.r.keys.notifyLock(cycleId), { ttlMs: 60_000, pollMs: 50 });
    try {
      const record = await this.r.cycles.get(cycleId);
      if (!record) {
        this.r.logger.warn({ cycleId }, 'no record for the cycle to publish (trimmed?)');
        return;
      }
      const client = await this.r.client(installationId);
      const key = this.r.keys.published(cycleId);
      const published = await this.r.redis.hgetall(key);
      // A promotion's cycle deploys a release whose PRs staging already reported on: GitHub gets its
      // deployments (environment e.g. production), while the check run and the PR's comment keep
      // staging's report; the PRs are told of the promotion in a reply of their own.
      if (record.release) {
        if (this.r.deployments) for (const pr of record.prs) await this.publishDeployment(client, record, pr, published);
        await this.r.redis.expire(key, RETENTION_SECONDS);
        return;
      }
      for (const pr of prsToShow(record, published)) {
        const included = record.prs.some((p) => p.number === pr.number && p.sha === pr.sha);
        await this.publishCheckRun(client, record, pr, included, published);
        await this.publishComment(client, record, pr, included);
        if (included && this.r.deployments) await this.publishDeployment(client, record, pr, published);
      }
      await this.tellConflicts(client, record);
    } finally {
      await lock?.release();
    }
  }

  private async publishCheckRun(client: CommentClient, record: CycleRecord, pr: Head, included: boolean, published: Record<string, string>) {
    const field = `${pr.number}@${pr.sha}`;
    const run = included ? this.includedRun(record, pr) : leftOutRun(record, pr, this.r.checkName);
    const signature = sig({ ...run, output: run.output.title, startedAt: null, completedAt: null }) + sig(run.output.summary.replace(/\| [\dhms ]+ \|/g, ''));
    if (published[`checkSig:${field}`] === signature) return;
    const known = published[`check:${field}`];
    const id = await upsertCheckRun(client, this.r.repo, run, known ? Number(known) : null);
    await this.remember(this.r.keys.published(record.id), `check:${field}`, String(id), `checkSig:${field}`, signature);
  }

  private includedRun(record: CycleRecord, pr: Head): CheckRunState {
    const verdict = cycleVerdict(record);
    const report = cycleReport(record, pr, { cycleUrl: this.r.cycleUrl(record.id) }, this.r.clock());
    const startedAt = record.runningStage?.startedAt ?? record.stages[0]?.startedAt ?? null;
    const url = this.r.cycleUrl(record.id);
    return {
      name: this.r.checkName,
      headSha: pr.sha,
      externalId: record.id,
      status: verdict.phase,
      ...(verdict.conclusion ? { conclusion: verdict.conclusion } : {}),
      ...(startedAt !== null && verdict.phase !== 'queued' ? { startedAt: new Date(startedAt).toISOString() } : {}),
      ...(record.finishedAt ? { completedAt: new Date(record.finishedAt).toISOString() } : {}),
      ...(url ? { detailsUrl: url } : {}),
      output: report,
    };
  }

  private async publishComment(client: CommentClient, record: CycleRecord, pr: Head, included: boolean) {
    const body = included ? this.commentBody(record, pr) : `**${record.env}**: #${pr.number} (head \`${pr.sha.slice(0, 7)}\`) was left out of ${record.kind} cycle ${record.id}: ${leftOutReason(record, pr.number) ?? 'it was not in the composed staging'}.`;
    const signature = sig(body);
    const comment = this.r.keys.prComment(pr.number);
    const [known, last] = await this.r.redis.hmget(comment, 'id', 'sig');
    if (last === signature) return;
    const id = await upsertMarkedComment(client, this.r.repo, { issue: pr.number, marker: PR_COMMENT_MARKER, body, knownId: known ? Number(known) : null });
    await this.remember(comment, 'id', String(id), 'sig', signature);
  }

  /** While a cycle runs the comment only says so (the check run follows each stage); the finished cycle gets the full report. */
  private commentBody(record: CycleRecord, pr: Head): string {
    const url = this.r.cycleUrl(record.id);
    if (record.state === 'running') {
      return `**${record.env}** · ⏳ ${record.kind} cycle ${record.id} with head \`${pr.sha.slice(0, 7)}\` is running; this comment is updated when it finishes.${url ? ` [Follow it](${url})` : ''}`;
    }
    const report = cycleReport(record, pr, { cycleUrl: url }, this.r.clock());
    return `**${record.env}** · ${report.summary}`;
  }

  private async publishDeployment(client: CommentClient, record: CycleRecord, pr: Head, published: Record<string, string>) {
    const state = deploymentState(record);
    if (state === null) return;
    const field = `${pr.number}@${pr.sha}`;
    if (published[`deployState:${field}`] === state) return;
    const known = published[`deploy:${field}`];
    const url = this.r.cycleUrl(record.id);
    const deployment: DeploymentState = {
      ref: pr.sha,
      environment: record.env,
      key: `${record.id}#${pr.number}`,
      description: record.release ? `Stagecraft: release ${record.release.id} (${record.release.requestId}), cycle ${record.id}` : `Stagecraft ${record.kind} cycle ${record.id}`,
      state,
      production: this.r.productionEnvironments.includes(record.env),
      ...(url ? { logUrl: url } : {}),
    };
    try {
      const id = await publishDeployment(client, this.r.repo, deployment, known ? Number(known) : null);
      await this.remember(this.r.keys.published(record.id), `deploy:${field}`, String(id), `deployState:${field}`, state);
    } catch (err) {
      // GitHub refuses a deployment of a head it no longer has (force-pushed away): nothing to show then.
      if ((err as { status?: number }).status !== 422) throw err;
      this.r.logger.warn({ cycleId: record.id, pr: pr.number, err: (err as Error).message }, 'GitHub refused the deployment');
      await this.remember(this.r.keys.published(record.id), `deployState:${field}`, state);
    }
  }

  /** One comment per conflicting head: a later push that still conflicts gets told again, a rerun does not. */
  private async tellConflicts(client: CommentClient, record: CycleRecord) {
    const compose = record.stages.find((s) => s.stage === 'compose');
    for (const c of composeResultsOf(compose?.details)?.conflicts ?? []) {
      const told = this.r.keys.conflictsTold(c.number);
      if ((await this.r.redis.sismember(told, c.sha)) === 1) continue;
      const withWhat = c.with === 'main' ? 'main' : `#${c.with}`;
      await upsertMarkedComment(client, this.r.repo, {
        issue: c.number,
        marker: `<!-- stagecraft:conflict:${c.sha} -->`,
        body: `This PR (head \`${c.sha.slice(0, 7)}\`) conflicts with ${withWhat}, so it was left out of ${record.env}; the other PRs deployed without it. Rebase or merge ${c.with === 'main' ? 'main' : `main after ${withWhat}`} and push, and it is picked up again.`,
        knownId: null,
      });
      await this.r.redis.multi().sadd(told, c.sha).expire(told, RETENTION_SECONDS).exec();
    }
  }

  /** Sets hash fields and the key's TTL in one step, so nothing the notifier remembers outlives its retention. */
  private async remember(key: string, ...fieldsAndValues: string[]): Promise<void> {
    await this.r.redis.multi().hset(key, ...fieldsAndValues).expire(key, RETENTION_SECONDS).exec();
  }
}

interface Head {
  number: number;
  sha: string;
}

/** The cycle's PRs plus any the cycle showed a check run to before compose left them out. */
function prsToShow(record: CycleRecord, published: Record<string, string>): Head[] {
  const heads = new Map<string, Head>(record.prs.map((p) => [`${p.number}@${p.sha}`, { number: p.number, sha: p.sha }]));
  for (const field of Object.keys(published)) {
    const m = /^check:(\d+)@(\w+)$/.exec(field);
    if (m && !heads.has(`${m[1]}@${m[2]}`)) heads.set(`${m[1]}@${m[2]}`, { number: Number(m[1]), sha: m[2]! });
  }
  return [...heads.values()];
}

function leftOutRun(record: CycleRecord, pr: Head, name: string): CheckRunState {
  const reason = leftOutReason(record, pr.number) ?? 'it was not in the composed staging';
  return {
    name,
    headSha: pr.sha,
    externalId: record.id,
    status: 'completed',
    conclusion: 'neutral',
    completedAt: new Date(record.stages.find((s) => s.stage === 'compose')?.finishedAt ?? record.startedAt).toISOString(),
    output: { title: `Left out of ${record.env}`, summary: `#${pr.number} was left out of ${record.kind} cycle ${record.id}: ${reason}.` },
  };
}

/** The deployment's state once deploy has begun; null before. */
function deploymentState(record: CycleRecord): DeploymentState['state'] | null {
  const deploy = record.stages.find((s) => s.stage === 'deploy');
  if (!deploy) return record.runningStage?.stage === 'deploy' ? 'in_progress' : null;
  switch (deploy.status) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'failure';
    case 'cancelled':
      return 'error';
    case 'skipped':
      return null;
  }
}

function sig(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
