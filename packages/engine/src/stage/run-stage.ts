import type { Redis } from 'ioredis';
import { composeResultsOf, type ComposeResults, type StageJob, type StageResult, type StagecraftKeys, type StageName, type StageStatus } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { StageContext } from '@stagecraft/executors';
import type { CycleStore } from '../store/cycle-store.js';
import type { CycleRecord, RepoHeads } from '../store/cycle-record.js';
import type { StageLeases } from './stage-lease.js';
import type { StageExecutor } from '@stagecraft/executors';
import { stagesOfCycle } from '../store/cycle-stages.js';
import { isHandBack } from '@stagecraft/executors';
import { StageHandedBackError } from '@stagecraft/executors';

export interface StageRunResources {
  stage: StageName;
  /** null: no executor configured, the stage is recorded as skipped. */
  executor: StageExecutor | null;
  cycles: CycleStore;
  redis: Redis;
  keys: StagecraftKeys;
  /** The stage lock and the cycle's cancellation, held for as long as the stage runs. */
  leases: StageLeases;
  logger: Logger;
  clock: () => number;
  /** Told when the stage starts and when its result is recorded (the notifier follows cycles this way). */
  onProgress?: (cycleId: string, step: string) => Promise<void>;
  /** Told of every result once it is recorded (metrics); not for results handed back unrecorded. */
  onStageFinished?: (job: StageJob, result: StageResult) => void;
  /**
   * How many times a failed build, deploy or test-kernel of a cycle with PRs (or of a bisection
   * step) runs again on the same staging SHA before it counts as failed (config policy.rerunFailedStage).
   */
  rerunsOnFailure?: number;
  /** Told when a re-run passed: the first failure was a flake. */
  onFlake?: (job: StageJob) => void;
}

/** The stages a failure of which may be a PR's doing, so a re-run tells a flake from a break. */
const RERUN_STAGES: ReadonlySet<StageName> = new Set(['build', 'deploy', 'test-kernel']);

export interface StageRunIo {
  attempt: number;
  /** BullMQ's signal for this job (worker shutdown / cancelJob). */
  signal: AbortSignal | undefined;
  log: (line: string) => void;
}

/** One stage of one cycle: decide whether it runs, hold its lease, run it, record the result. */
export async function runStage(job: StageJob, io: StageRunIo, r: StageRunResources): Promise<StageResult> {
  const startedAt = r.clock();
  const finish = async (status: StageStatus, summary: string, extra: Partial<StageResult> = {}): Promise<StageResult> => {
    const result: StageResult = {
      stage: r.stage,
      status,
      startedAt,
      finishedAt: r.clock(),
      summary,
      attempt: io.attempt,
      details: null,
      outputTail: [],
      ...extra,
    };
    const earlier = await r.cycles.recordStage(job.cycleId, result);
    // Another run recorded first (this one lost its lock while running): its result stands.
    if (earlier) return alreadyRecorded(r, job, earlier);
    r.onStageFinished?.(job, result);
    r.logger.info({ cycleId: job.cycleId, stage: r.stage, status, summary }, 'stage finished');
    await progress(r, job.cycleId, `${r.stage}.${io.attempt}.${status}`);
    return result;
  };

  const record = await r.cycles.get(job.cycleId);
  if (!record) return finish('failed', `cycle ${job.cycleId} has no record in Redis (was it trimmed or flushed?)`);
  // Recorded by an earlier attempt whose worker stopped before BullMQ heard of it: not again.
  const recorded = record.stages.find((s) => s.stage === r.stage);
  if (recorded) return alreadyRecorded(r, job, recorded);

  const notRun = async (status: 'skipped' | 'cancelled', reason: string) => {
    await tellNotRun(r, job, record, reason, io);
    return finish(status, reason);
  };
  const blocked = blockedBy(record, r.stage);
  if (blocked) return notRun('skipped', blocked);

  const lease = r.leases.open({
    cycleId: job.cycleId,
    env: job.env,
    stage: r.stage,
    jobSignal: io.signal,
    onWait: (holder) => io.log(`waiting for the ${r.stage} lock of ${job.env}, held by ${holder}`),
  });
  try {
    const cancelReason = await lease.checkCancelled();
    if (cancelReason !== null) return await notRun('cancelled', `cycle cancelled before ${r.stage} started: ${cancelReason}`);
    const nothingToDo = nothingToDoReason(r.stage, job);
    if (nothingToDo) return await finish('skipped', nothingToDo);
    if (!r.executor) return await finish('skipped', `no executor configured for ${r.stage}`);

    const acquired = await lease.acquire();
    if (isHandBack(io.signal)) throw new StageHandedBackError(r.stage, job.cycleId);
    if (acquired !== 'held' || lease.cancelledBecause !== null) return await notRun('cancelled', `cycle cancelled while ${r.stage} waited for its lock`);
    // Under the lock: a run that held it before this one may have recorded the stage meanwhile.
    const current = (await r.cycles.get(job.cycleId)) ?? record;
    const theirs = current.stages.find((s) => s.stage === r.stage);
    if (theirs) return await alreadyRecorded(r, job, theirs);
    const lostEarly = lease.lostBecause();
    if (lostEarly) return await finish('failed', `${r.stage} did not start: ${lostEarly.message}`);

    await r.cycles.markRunning(job.cycleId, { stage: r.stage, startedAt, attempt: io.attempt });
    await progress(r, job.cycleId, `${r.stage}.${io.attempt}.started`);
    io.log(`${r.stage} of ${job.cycleId} (attempt ${io.attempt}) via ${r.executor.description}`);
    let outcome = await r.executor.run(contextOf(job, current, io.attempt), { signal: lease.signal, log: io.log });
    const firstFailure = outcome.status === 'failed' ? outcome : null;
    const rerunnable = RERUN_STAGES.has(r.stage) && (current.prs.length > 0 || Boolean(current.bisect));
    let reruns = 0;
    while (outcome.status === 'failed' && rerunnable && reruns < (r.rerunsOnFailure ?? 0) && lease.cancelledBecause === null && !lease.lostBecause() && !isHandBack(io.signal)) {
      reruns++;
      io.log(`${r.stage} failed (${outcome.summary}): running it again on the same staging SHA (${reruns} of ${r.rerunsOnFailure}) to tell a flake from a break`);
      outcome = await r.executor.run(contextOf(job, current, io.attempt), { signal: lease.signal, log: io.log });
    }
    if (firstFailure && reruns > 0) {
      if (outcome.status === 'succeeded') {
        r.onFlake?.(job);
        r.logger.warn({ cycleId: job.cycleId, stage: r.stage, first: firstFailure.summary }, 'stage failed, then passed on the same SHA: a flake, nobody is blamed');
        outcome = {
          ...outcome,
          summary: `flaky: failed once (${firstFailure.summary}), then passed on the same SHA: ${outcome.summary}`,
          details: { ...(outcome.details ?? {}), flake: { firstSummary: firstFailure.summary, firstOutputTail: firstFailure.outputTail, reruns } },
        };
      } else if (outcome.status === 'failed') {
        outcome = { ...outcome, summary: `${outcome.summary} (failed again on ${reruns === 1 ? 'a re-run' : `${reruns} re-runs`} on the same SHA)`, details: { ...(outcome.details ?? {}), reruns } };
      }
    }
    // Stopped for the worker's shutdown, not for the cycle: record nothing, so the stage runs again elsewhere.
    if (isHandBack(io.signal) && lease.cancelledBecause === null && outcome.status !== 'succeeded') throw new StageHandedBackError(r.stage, job.cycleId);
    const lost = lease.lostBecause();
    if (lost) {
      return await finish('failed', `${r.stage} of ${job.env} stopped while running: ${lost.message}`, { outputTail: outcome.outputTail });
    }
    if (r.stage === 'compose' && outcome.status === 'succeeded') await recordComposition(r, current, outcome.details);
    return await finish(outcome.status, outcome.summary, { details: outcome.details, outputTail: outcome.outputTail });
  } finally {
    await lease.close();
  }
}

/** A result recorded before (by an earlier attempt or another worker): told again, not run again. */
async function alreadyRecorded(r: StageRunResources, job: StageJob, result: StageResult): Promise<StageResult> {
  r.logger.info({ cycleId: job.cycleId, stage: r.stage, status: result.status, attempt: result.attempt }, 'stage already recorded; not running it again');
  // The same step as when it was recorded, so a notification that did go out is not sent twice.
  await progress(r, job.cycleId, `${r.stage}.${result.attempt}.${result.status}`);
  return result;
}

function contextOf(job: StageJob, record: CycleRecord, attempt: number): StageContext {
  return {
    cycleId: job.cycleId,
    env: job.env,
    stage: job.stage,
    kind: job.kind,
    sha: record.stagingSha ?? record.mainSha,
    mainSha: record.mainSha,
    components: job.components,
    rebuild: job.rebuild,
    // The record, not the job: compose may have changed which PRs are in.
    prs: record.prs,
    repos: (record.repos ?? []).map((r) => ({ repo: r.repo, sha: r.stagingSha ?? r.mainSha, mainSha: r.mainSha })),
    attempt,
    cycleStartedAt: record.startedAt,
    ...(record.release ? { release: { id: record.release.id, images: record.release.images } } : {}),
    // A bisection step composes exactly its PRs on the failed cycle's mains; executors must know.
    ...(record.bisect ? { bisect: { origin: record.bisect.origin, step: record.bisect.step, maxSteps: record.bisect.maxSteps } } : {}),
  };
}

/** Lets the executor undo what earlier stages left (see StageExecutor.notRun); its failure is logged, not fatal. */
async function tellNotRun(r: StageRunResources, job: StageJob, record: CycleRecord, reason: string, io: StageRunIo): Promise<void> {
  if (!r.executor?.notRun) return;
  try {
    await r.executor.notRun(contextOf(job, record, io.attempt), { reason, earlier: record.stages }, { log: io.log });
  } catch (err) {
    r.logger.warn({ cycleId: job.cycleId, stage: r.stage, err: (err as Error).message }, 'executor could not clean up after a stage that did not run');
  }
}

/** Progress reports are for people watching; failing to send one must not fail the stage. */
async function progress(r: StageRunResources, cycleId: string, step: string): Promise<void> {
  try {
    await r.onProgress?.(cycleId, step);
  } catch (err) {
    r.logger.warn({ cycleId, step, err: (err as Error).message }, 'could not report stage progress');
  }
}

/** Why this stage must not run because of an earlier one, or null. */
function blockedBy(record: CycleRecord, stage: StageName): string | null {
  const stages = stagesOfCycle(record);
  for (const earlier of stages.slice(0, stages.indexOf(stage))) {
    const result = record.stages.find((s) => s.stage === earlier);
    if (!result) return `${earlier} did not finish (its worker gave up after its attempts)`;
    if (result.status === 'failed') return `${earlier} failed: ${result.summary}`;
    if (result.status === 'cancelled') return `${earlier} was cancelled`;
  }
  return null;
}

function nothingToDoReason(stage: StageName, job: StageJob): string | null {
  if (stage === 'build' && job.rebuild.length === 0) return 'no component image changed';
  if ((stage === 'drain' || stage === 'deploy') && job.components.length === 0) return 'no component affected';
  return null;
}

/**
 * compose may report the staging SHA it produced, and the main SHA and PRs it actually merged;
 * later stages deploy that SHA and the cycle shows those PRs.
 */
async function recordComposition(r: StageRunResources, record: CycleRecord, details: Record<string, unknown> | null) {
  const results = composeResultsOf(details);
  const repos = composedRepos(record, results);
  const first = repos[0]?.repo ?? null;
  // A PR compose reports without its repository is the first one's (the one-repository form).
  const configured = (name: string | undefined) => repos.find((x) => name !== undefined && x.repo.toLowerCase() === name.toLowerCase())?.repo ?? first;
  await r.cycles.update(record.id, {
    stagingSha: repos[0]?.stagingSha ?? results?.sha ?? record.mainSha,
    ...(repos[0] ? { mainSha: repos[0].mainSha } : results?.mainSha !== undefined ? { mainSha: results.mainSha } : {}),
    repos,
    ...(results?.prs
      ? {
          prs: results.prs.flatMap(({ repo, number, sha }) => {
            const name = configured(repo);
            return name ? [{ repo: name, number, sha }] : [];
          }),
        }
      : {}),
  });
}

/**
 * Each repository's main and staging SHA after compose: what it reported per repository
 * (`repos`), else its `sha`/`mainSha` for the first repository; a repository compose said
 * nothing of runs its main.
 */
function composedRepos(record: CycleRecord, results: ComposeResults | null): RepoHeads[] {
  return (record.repos ?? []).map((known, index) => {
    const reported = results?.repos?.find((x) => x.repo.toLowerCase() === known.repo.toLowerCase()) ?? (index === 0 && results ? { sha: results.sha, mainSha: results.mainSha } : undefined);
    const mainSha = reported?.mainSha ?? known.mainSha;
    return { repo: known.repo, mainSha, stagingSha: reported?.sha ?? mainSha };
  });
}
