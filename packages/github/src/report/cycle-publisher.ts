import type { Redis } from 'ioredis';
import { publishDeployment, type DeploymentState } from './publish-deployment.js';
import { upsertCheckRun, type CheckRunState } from './upsert-check-run.js';
import { upsertMarkedComment, type CommentClient } from './upsert-marked-comment.js';
import { composeResultsOf, type StagecraftKeys } from '@stagecraft/queue';
import { pullRequestKey, pullRequestLabel, sameRepository } from '@stagecraft/policy';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates, type RepositoryCoordinates } from '../app/repository-coordinates.js';
import { PublishFailedError } from '../errors/publish-failed-error.js';
import type { Logger } from '@stagecraft/telemetry';
import type { CycleRecord } from '@stagecraft/engine';
import type { CycleStore } from '@stagecraft/engine';
import { cycleReport } from './cycle-report.js';
import { cycleVerdict } from './cycle-verdict.js';
import { backInStagingLine, type BackInStaging } from './back-in-staging.js';
import { bisectionBlameOf } from './bisection-report.js';
import { ExcludedLabelMarks } from './excluded-label-marks.js';
import { leftOutReason } from './left-out-reason.js';
import { EXCLUDED_LABEL } from './post-exclusion.js';
import { removeLabel } from './remove-label.js';
import { contentSignature as sig } from './content-signature.js';
import { NOTIFIER_RETENTION_SECONDS } from './notifier-retention.js';
import { editableWaitingRun, PrCommentState, PR_COMMENT_MARKER } from './pr-comment-state.js';
import { holdLock } from '@stagecraft/engine';

export interface CyclePublisherResources {
  redis: Redis;
  keys: StagecraftKeys;
  cycles: Pick<CycleStore, 'get'>;
  /** The configured repositories and their installation clients: each PR is published in its own repository. */
  github: RepositoryClientSource;
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
 * one comment per conflicting head; each in the PR's own repository. Everything it wrote is
 * remembered in Redis (ids and what was written), so running it again writes only what changed
 * and never posts twice. A PR that cannot be published does not hold up the others.
 *
 * A bisection step tells its PRs nothing of its own (its failure blames nobody; only the verdict
 * matters): publishing it brings the failed cycle it bisects up to date instead, whose report
 * says that a bisection looks for the cause, its steps, and then its verdict. A PR labelled
 * excluded that a later cycle takes in again loses the label, and its comment says it is back.
 * The check run a waiting notice put on a head (postWaiting) becomes the first cycle's run there,
 * and what a notice found after a cycle started is not written over by that cycle.
 */
export class CyclePublisher {
  private readonly marks: ExcludedLabelMarks;
  private readonly comments: PrCommentState;

  constructor(private readonly r: CyclePublisherResources) {
    this.marks = new ExcludedLabelMarks(r.redis, r.keys);
    this.comments = new PrCommentState(r.redis, r.keys);
  }

  /**
   * `installationId` is the one the cycle's notification came with: it is the repository's when
   * one repository is configured, and of no known repository when several are, so it is then left
   * to each repository's own (looked-up, cached) installation.
   */
  async publish(cycleId: string, installationId: number | null): Promise<void> {
    const origin = await this.publishCycle(cycleId, installationId);
    if (origin !== null) await this.publishCycle(origin, installationId);
  }

  /** Publishes one cycle under its lock; returns the failed cycle it bisects when it is a bisection step. */
  private async publishCycle(cycleId: string, installationId: number | null): Promise<string | null> {
    const lock = await holdLock(this.r.redis, this.r.keys.notifyLock(cycleId), { ttlMs: 60_000, pollMs: 50 });
    try {
      const record = await this.r.cycles.get(cycleId);
      if (!record) {
        this.r.logger.warn({ cycleId }, 'no record for the cycle to publish (trimmed?)');
        return null;
      }
      if (record.bisect) return record.bisect.origin;
      const to = new Destinations(this.r.github, this.several() ? null : installationId);
      const key = this.r.keys.published(cycleId);
      const published = await this.r.redis.hgetall(key);
      const failures: Array<{ pr: string; error: unknown }> = [];
      const each = async (pr: Head, publish: (destination: Destination) => Promise<void>) => {
        try {
          await publish(await to.of(pr.repo));
        } catch (error) {
          this.r.logger.warn({ cycleId, pr: this.label(pr), err: (error as Error).message }, 'could not publish the cycle to a PR; going on with the others');
          failures.push({ pr: this.label(pr), error });
        }
      };
      // A promotion's cycle deploys a release whose PRs staging already reported on: GitHub gets its
      // deployments (environment e.g. production), while the check run and the PR's comment keep
      // staging's report; the PRs are told of the promotion in a reply of their own.
      if (record.release) {
        if (this.r.deployments) for (const pr of this.prsOf(record)) await each(pr, (d) => this.publishDeployment(d, record, pr, published));
        await this.r.redis.expire(key, NOTIFIER_RETENTION_SECONDS);
      } else {
        const included = new Set(this.prsOf(record).map(fieldOf));
        for (const pr of this.prsToShow(record, published)) {
          const isIncluded = included.has(fieldOf(pr));
          await each(pr, async (d) => {
            if (isIncluded) await this.takeBackIfExcluded(d, record, pr, published);
            await this.publishCheckRun(d, record, pr, isIncluded, published);
            await this.publishComment(d, record, pr, isIncluded, published);
            if (isIncluded && this.r.deployments) await this.publishDeployment(d, record, pr, published);
          });
        }
        for (const conflict of this.conflictsOf(record)) await each(conflict, (d) => this.tellConflict(d, record, conflict));
      }
      if (failures.length > 0) throw new PublishFailedError(cycleId, failures);
      return null;
    } finally {
      await lock?.release();
    }
  }

  /**
   * A PR this notifier labelled excluded is in a cycle started after the bisection's verdict (a
   * push or a maintainer's deploy brought it back): the cycle remembers that (its comment says
   * so on every later publish), then the label comes off and the mark goes. The failed cycle
   * itself and anything that started before the verdict still had the PR, and bring nothing back.
   */
  private async takeBackIfExcluded(to: Destination, record: CycleRecord, pr: Head, published: Record<string, string>): Promise<void> {
    const field = `back:${fieldOf(pr)}`;
    const mark = await this.marks.get(pr.repo, pr.number);
    if (!mark || record.id === mark.origin || record.startedAt < mark.at) return;
    const back: BackInStaging = { sha: mark.sha, origin: mark.origin, stage: mark.stage };
    if (published[field] === undefined) {
      await this.remember(this.r.keys.published(record.id), field, JSON.stringify(back));
      published[field] = JSON.stringify(back);
    }
    await removeLabel(to.client, to.repo, pr.number, EXCLUDED_LABEL);
    await this.marks.clear(pr.repo, pr.number);
    this.r.logger.info({ cycleId: record.id, pr: this.label(pr), excludedSha: mark.sha, origin: mark.origin }, 'an excluded PR is back in staging: label removed');
  }

  private async publishCheckRun(to: Destination, record: CycleRecord, pr: Head, included: boolean, published: Record<string, string>) {
    const field = fieldOf(pr);
    const run = included ? this.includedRun(record, pr) : this.leftOutRun(record, pr);
    const signature = sig({ ...run, output: run.output.title, startedAt: null, completedAt: null }) + sig(run.output.summary.replace(/\| [\dhms ]+ \|/g, ''));
    if (published[`checkSig:${field}`] === signature) return;
    const known = published[`check:${field}`];
    let waiting: number | null = null;
    if (!known) {
      // The cycle's first run on this head takes over (edits) the run a waiting notice put there, so
      // the head shows one run, now the cycle's; unless the notice came after the cycle started: then
      // its news is newer, and a head the cycle only leaves out gets no older run on top of it.
      const shown = await this.comments.read(pr.repo, pr.number);
      const newer = shown.waitingAt > record.startedAt && shown.waitingRun?.sha === pr.sha;
      if (newer && !included) return;
      if (!newer) waiting = editableWaitingRun(shown.waitingRun, pr.sha, run);
    }
    const id = await upsertCheckRun(to.client, to.repo, run, known ? Number(known) : waiting);
    await this.remember(this.r.keys.published(record.id), `check:${field}`, String(id), `checkSig:${field}`, signature);
    if (waiting !== null) await this.comments.forgetWaitingRun(pr.repo, pr.number);
  }

  private includedRun(record: CycleRecord, pr: Head): CheckRunState {
    const verdict = cycleVerdict(record);
    // Once a bisection cleared this PR of the failed cycle's failure, its check run does not say ❌.
    const conclusion = verdict.conclusion === 'failure' && bisectionBlameOf(record, pr) === 'cleared' ? 'neutral' : verdict.conclusion;
    const report = cycleReport(record, pr, { cycleUrl: this.r.cycleUrl(record.id), severalRepositories: this.several() }, this.r.clock());
    const startedAt = record.runningStage?.startedAt ?? record.stages[0]?.startedAt ?? null;
    const url = this.r.cycleUrl(record.id);
    return {
      name: this.r.checkName,
      headSha: pr.sha,
      externalId: record.id,
      status: verdict.phase,
      ...(conclusion ? { conclusion } : {}),
      ...(startedAt !== null && verdict.phase !== 'queued' ? { startedAt: new Date(startedAt).toISOString() } : {}),
      ...(record.finishedAt ? { completedAt: new Date(record.finishedAt).toISOString() } : {}),
      ...(url ? { detailsUrl: url } : {}),
      output: report,
    };
  }

  private async publishComment(to: Destination, record: CycleRecord, pr: Head, included: boolean, published: Record<string, string>) {
    const back = published[`back:${fieldOf(pr)}`];
    const body = included
      ? (back ? `${backInStagingLine(JSON.parse(back) as BackInStaging, pr, record, this.label(pr))}\n\n` : '') + this.commentBody(record, pr)
      : `**${record.env}**: ${this.label(pr)} (head \`${pr.sha.slice(0, 7)}\`) was left out of ${record.kind} cycle ${record.id}: ${this.leftOut(record, pr)}.`;
    const signature = sig(body);
    const shown = await this.comments.read(pr.repo, pr.number);
    // A waiting notice found after this cycle started says something newer about the PR.
    if (shown.sig === signature || shown.waitingAt > record.startedAt) return;
    const id = await upsertMarkedComment(to.client, to.repo, { issue: pr.number, marker: PR_COMMENT_MARKER, body, knownId: shown.id });
    await this.comments.rememberComment(pr.repo, pr.number, { id, sig: signature }, { cycleAt: Math.max(shown.cycleAt, record.startedAt) });
  }

  /** While a cycle runs the comment only says so (the check run follows each stage); the finished cycle gets the full report. */
  private commentBody(record: CycleRecord, pr: Head): string {
    const url = this.r.cycleUrl(record.id);
    if (record.state === 'running') {
      return `**${record.env}** · ⏳ ${record.kind} cycle ${record.id} with head \`${pr.sha.slice(0, 7)}\` is running; this comment is updated when it finishes.${url ? ` [Follow it](${url})` : ''}`;
    }
    const report = cycleReport(record, pr, { cycleUrl: url, severalRepositories: this.several() }, this.r.clock());
    return `**${record.env}** · ${report.summary}`;
  }

  private async publishDeployment(to: Destination, record: CycleRecord, pr: Head, published: Record<string, string>) {
    const state = deploymentState(record);
    if (state === null) return;
    const field = fieldOf(pr);
    if (published[`deployState:${field}`] === state) return;
    const known = published[`deploy:${field}`];
    const url = this.r.cycleUrl(record.id);
    const deployment: DeploymentState = {
      ref: pr.sha,
      environment: record.env,
      key: `${record.id}#${pr.number}`,
      description:
        (record.release ? `Stagecraft: release ${record.release.id} (${record.release.requestId}), cycle ${record.id}` : `Stagecraft ${record.kind} cycle ${record.id}`) +
        this.stagingOf(record, pr.repo),
      state,
      production: this.r.productionEnvironments.includes(record.env),
      ...(url ? { logUrl: url } : {}),
    };
    try {
      const id = await publishDeployment(to.client, to.repo, deployment, known ? Number(known) : null);
      await this.remember(this.r.keys.published(record.id), `deploy:${field}`, String(id), `deployState:${field}`, state);
    } catch (err) {
      // GitHub refuses a deployment of a head it no longer has (force-pushed away): nothing to show then.
      if ((err as { status?: number }).status !== 422) throw err;
      this.r.logger.warn({ cycleId: record.id, pr: this.label(pr), err: (err as Error).message }, 'GitHub refused the deployment');
      await this.remember(this.r.keys.published(record.id), `deployState:${field}`, state);
    }
  }

  /** One comment per conflicting head: a later push that still conflicts gets told again, a rerun does not. */
  private async tellConflict(to: Destination, record: CycleRecord, c: Head & { with: 'main' | number }) {
    const told = this.r.keys.conflictsTold(c.repo, c.number);
    if ((await this.r.redis.sismember(told, c.sha)) === 1) return;
    const withWhat = c.with === 'main' ? 'main' : pullRequestLabel(c.repo, c.with, this.several());
    await upsertMarkedComment(to.client, to.repo, {
      issue: c.number,
      marker: `<!-- stagecraft:conflict:${c.sha} -->`,
      body: `This PR (head \`${c.sha.slice(0, 7)}\`) conflicts with ${withWhat}, so it was left out of ${record.env}; the other PRs deployed without it. Rebase or merge ${c.with === 'main' ? 'main' : `main after ${withWhat}`} and push, and it is picked up again.`,
      knownId: null,
    });
    await this.r.redis.multi().sadd(told, c.sha).expire(told, NOTIFIER_RETENTION_SECONDS).exec();
  }

  /** The cycle's PRs; a PR recorded before PRs named their repository is the first repository's. */
  private prsOf(record: CycleRecord): Head[] {
    return record.prs.map((p) => ({ repo: p.repo ?? this.first(), number: p.number, sha: p.sha }));
  }

  /** The cycle's PRs, those it held back for their required checks, and any it showed a check run to before compose left them out. */
  private prsToShow(record: CycleRecord, published: Record<string, string>): Head[] {
    const heads = new Map<string, Head>(this.prsOf(record).map((p) => [fieldOf(p), p]));
    // PRs held back by their required checks are told what they wait for (or which failed).
    for (const w of record.waiting ?? []) {
      const head = { repo: w.repo, number: w.number, sha: w.sha };
      if (!heads.has(fieldOf(head))) heads.set(fieldOf(head), head);
    }
    for (const field of Object.keys(published)) {
      // `check:owner/name#7@sha`; `check:7@sha` was written before PRs named their repository.
      const m = /^check:(?:(.+)#)?(\d+)@(\w+)$/.exec(field);
      if (!m) continue;
      const repo = this.r.github.repositories.find((r) => sameRepository(r.name, m[1] ?? this.first()))?.name;
      if (repo === undefined) continue;
      const head = { repo, number: Number(m[2]), sha: m[3]! };
      if (!heads.has(fieldOf(head))) heads.set(fieldOf(head), head);
    }
    return [...heads.values()];
  }

  private conflictsOf(record: CycleRecord): Array<Head & { with: 'main' | number }> {
    const compose = record.stages.find((s) => s.stage === 'compose');
    return (composeResultsOf(compose?.details)?.conflicts ?? []).map((c) => ({ repo: c.repo ?? this.first(), number: c.number, sha: c.sha, with: c.with }));
  }

  private leftOutRun(record: CycleRecord, pr: Head): CheckRunState {
    return {
      name: this.r.checkName,
      headSha: pr.sha,
      externalId: record.id,
      status: 'completed',
      conclusion: 'neutral',
      completedAt: new Date(record.stages.find((s) => s.stage === 'compose')?.finishedAt ?? record.startedAt).toISOString(),
      output: { title: `Left out of ${record.env}`, summary: `${this.label(pr)} was left out of ${record.kind} cycle ${record.id}: ${this.leftOut(record, pr)}.` },
    };
  }

  private leftOut(record: CycleRecord, pr: Head): string {
    return leftOutReason(record, pr, this.several()) ?? 'it was not in the composed staging';
  }

  /** With several repositories a deployment says which staging commit of its repository it is. */
  private stagingOf(record: CycleRecord, repo: string): string {
    if (!this.several()) return '';
    const sha = record.repos?.find((r) => sameRepository(r.repo, repo))?.stagingSha;
    return sha ? ` (${repo} staging ${sha.slice(0, 7)})` : '';
  }

  private label(pr: { repo: string; number: number }): string {
    return pullRequestLabel(pr.repo, pr.number, this.several());
  }

  private several(): boolean {
    return this.r.github.repositories.length > 1;
  }

  private first(): string {
    return this.r.github.repositories[0]!.name;
  }

  /** Sets hash fields and the key's TTL in one step, so nothing the notifier remembers outlives its retention. */
  private async remember(key: string, ...fieldsAndValues: string[]): Promise<void> {
    await this.r.redis.multi().hset(key, ...fieldsAndValues).expire(key, NOTIFIER_RETENTION_SECONDS).exec();
  }
}

interface Head {
  /** `owner/name` as configured. */
  repo: string;
  number: number;
  sha: string;
}

/** How a PR head is named in the published hash: `owner/name#7@sha`. */
function fieldOf(pr: Head): string {
  return `${pullRequestKey(pr.repo, pr.number)}@${pr.sha}`;
}

interface Destination {
  client: CommentClient;
  repo: RepositoryCoordinates;
}

/** One client per repository for one publish run. */
class Destinations {
  private readonly clients = new Map<string, Promise<Destination>>();

  constructor(
    private readonly github: RepositoryClientSource,
    private readonly installationId: number | null,
  ) {}

  of(repo: string): Promise<Destination> {
    const key = repo.toLowerCase();
    let destination = this.clients.get(key);
    if (!destination) {
      destination = this.github.clientFor(repo, this.installationId).then((client) => ({ client, repo: repositoryCoordinates(configuredName(this.github, repo)) }));
      // A failed client is asked again by the next PR of the repository rather than remembered.
      destination.catch(() => this.clients.delete(key));
      this.clients.set(key, destination);
    }
    return destination;
  }
}

function configuredName(github: RepositoryClientSource, repo: string): string {
  return github.repositories.find((r) => sameRepository(r.name, repo))?.name ?? repo;
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
