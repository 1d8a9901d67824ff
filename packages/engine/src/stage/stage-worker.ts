import { DelayedError, type WorkerOptions } from 'bullmq';
import { createCatalogWorker, type StageName } from '@stagecraft/queue';
import { runStage, type StageRunResources } from './run-stage.js';
import { StageHandedBackError } from '@stagecraft/executors';

/** The BullMQ worker of one stage queue; every stage app is this plus its executor. */
export function createStageWorker(r: StageRunResources, opts: WorkerOptions) {
  const queue = `stage-${r.stage}` as `stage-${StageName}`;
  return createCatalogWorker(
    queue,
    async (payload, job, signal, token) => {
      // Lines are chained, not awaited one by one, so a chatty command is not slowed by Redis.
      let logged: Promise<unknown> = Promise.resolve();
      const log = (line: string) => {
        logged = logged.then(() => job.log(line)).catch(() => undefined);
      };
      try {
        return await runStage(payload, { attempt: job.attemptsStarted || job.attemptsMade + 1, signal, log }, r);
      } catch (err) {
        if (!(err instanceof StageHandedBackError)) throw err;
        // Back to the queue at once, without spending an attempt: another replica starts it now
        // instead of after this worker's lock has expired.
        log(err.message);
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError(err.message);
      } finally {
        await logged;
      }
    },
    opts,
  );
}
