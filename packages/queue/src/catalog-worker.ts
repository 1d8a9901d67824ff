import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { QueueName, QueuePayload } from './queue-catalog.js';
import { parsePayload } from './parse-payload.js';
import { InvalidPayloadError } from './errors/invalid-payload-error.js';

export type CatalogProcessor<N extends QueueName, R> = (
  payload: QueuePayload<N>,
  job: Job,
  signal: AbortSignal | undefined,
  token: string | undefined,
) => Promise<R>;

/** A BullMQ worker whose payloads are validated on pickup; an invalid one fails without retries. */
export function createCatalogWorker<N extends QueueName, R>(
  name: N,
  processor: CatalogProcessor<N, R>,
  opts: WorkerOptions,
): Worker {
  return new Worker(
    name,
    async (job, token, signal) => {
      let payload: QueuePayload<N>;
      try {
        payload = parsePayload(name, job.data);
      } catch (err) {
        if (err instanceof InvalidPayloadError) throw new UnrecoverableError(err.message);
        throw err;
      }
      return processor(payload, job, signal, token);
    },
    opts,
  );
}
