import type { Redis } from 'ioredis';
import type { StageJob, StageResult, StagecraftKeys, StageName, StageStatus } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { StageContext } from '@stagecraft/executors';
import type { CycleStore } from '../store/cycle-store.js';
import type { CycleRecord } from '../store/cycle-record.js';
import type { CancelListener } from './cancel-listener.js';
import type { StageExecutor } from '@stagecraft/executors';
import { stagesOfCycle } from '../store/cycle-stages.js';
import { acquireStageLock } from './stage-lock.js';
import { isHandBack } from '@stagecraft/executors';
import { StageHandedBackError } from '@stagecraft/executors';

export interface StageRunResources {
  stage: StageName;
  /** null: no executor configured, the stage is recorded as skipped. */
  executor: StageExecutor | null;
  cycles: CycleStore;
  redis: Redis;
  keys: StagecraftKeys;
  cancels: CancelListener;
  logger: Logger;
  clock: () => number;
  lockTtlMs: number;
  /** Told when the stage starts and when its result is recorded (the notifier follows cycles this way). */
  onProgress?: (cycleId: string, step: string) => Promise<void>;
  /** Told of every result once it is recorded (metrics); not for results handed back unrecorded. */
  onStageFinished?: (job: StageJob, result: StageResult) => void;
}

export interface StageRunIo {
  attempt: number;
  /** BullMQ's signal for this job (worker shutdown / cancelJob). */
  signal: AbortSignal | undefined;
  log: (line: string) => void;
}

/** One stage of one cycle: decide whether it runs, hold the stage lock, run it, record the result. */
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
    await r.cycles.recordStage(job.cycleId, result);
    r.onStageFinished?.(job, result);
    r.logger.info({ cycleId: job.cycleId, stage: r.stage, status, summary }, 'stage finished');
    await progress(r, job.cycleId, `${r.stage}.${io.attempt}.${status}`);
    return result;
  };

  const record = await r.cycles.get(job.cycleId);
  if (!record) return finish('failed', `cycle ${job.cycleId} has no record in Redis (was it trimmed or flushed?)`);

  const notRun = async (status: 'skipped' | 'cancelled', reason: string) => {
    await tellNotRun(r, job, record, reason, io);
    return finish(status, reason);
  };
  const blocked = blockedBy(record, r.stage);
  if (blocked) return notRun('skipped', blocked);
  const cancelReason = await r.redis.get(r.keys.cycleCancelled(job.cycleId));
  if (cancelReason !== null) return notRun('cancelled', `cycle cancelled before ${r.stage} started: ${cancelReason}`);
  const nothingToDo = nothingToDoReason(r.stage, job);
  if (nothingToDo) return finish('skipped', nothingToDo);
  if (!r.executor) return finish('skipped', `no executor configured for ${r.stage}`);

  const cancel = r.cancels.register(job.cycleId);
  const signals = [cancel.signal, ...(io.signal ? [io.signal] : [])];
  try {
    const lock = await acquireStageLock(r.redis, r.keys.stageLock(r.stage, job.env), {
      ttlMs: r.lockTtlMs,
      signal: AbortSignal.any(signals),
      onWait: (holder) => io.log(`waiting for the ${r.stage} lock of ${job.env}, held by ${holder}`),
    });
    if (!lock) {
      if (isHandBack(io.signal)) throw new StageHandedBackError(r.stage, job.cycleId);
      return notRun('cancelled', `cycle cancelled while ${r.stage} waited for its lock`);
    }
    try {
      const signal = AbortSignal.any([...signals, lock.lost]);
      await r.cycles.markRunning(job.cycleId, { stage: r.stage, startedAt, attempt: io.attempt });
      await progress(r, job.cycleId, `${r.stage}.${io.attempt}.started`);
      io.log(`${r.stage} of ${job.cycleId} (attempt ${io.attempt}) via ${r.executor.description}`);
      const outcome = await r.executor.run(contextOf(job, record, io.attempt), { signal, log: io.log });
      // Stopped for the worker's shutdown, not for the cycle: record nothing, so the stage runs again elsewhere.
      if (isHandBack(io.signal) && !cancel.signal.aborted && outcome.status !== 'succeeded') throw new StageHandedBackError(r.stage, job.cycleId);
      if (lock.lost.aborted) {
        return finish('failed', `lost the ${r.stage} lock of ${job.env} while running; stopped to avoid running twice`, {
          outputTail: outcome.outputTail,
        });
      }
      if (r.stage === 'compose' && outcome.status === 'succeeded') await recordComposition(r, record, outcome.details);
      return finish(outcome.status, outcome.summary, { details: outcome.details, outputTail: outcome.outputTail });
    } finally {
      await lock.release();
    }
  } finally {
    cancel.release();
  }
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
    attempt,
    cycleStartedAt: record.startedAt,
    ...(record.release ? { release: { id: record.release.id, images: record.release.images } } : {}),
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
  const results = (details?.['results'] ?? {}) as Record<string, unknown>;
  const { sha, mainSha, prs } = results;
  const validPrs = Array.isArray(prs) && prs.every((p) => typeof p?.number === 'number' && typeof p?.sha === 'string');
  await r.cycles.update(record.id, {
    stagingSha: typeof sha === 'string' ? sha : record.mainSha,
    ...(typeof mainSha === 'string' ? { mainSha } : {}),
    ...(validPrs ? { prs: (prs as Array<{ number: number; sha: string }>).map(({ number, sha: prSha }) => ({ number, sha: prSha })) } : {}),
  });
}
