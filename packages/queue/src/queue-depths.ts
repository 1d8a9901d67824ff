import type { Queue } from 'bullmq';

/** The job states a queue-depth gauge reports; completed jobs are history, not depth. */
export const QUEUE_DEPTH_STATES = ['waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed'] as const;
export type QueueDepthState = (typeof QUEUE_DEPTH_STATES)[number];

export interface QueueDepth {
  queue: string;
  state: QueueDepthState;
  count: number;
}

/** How many jobs each queue holds in each of QUEUE_DEPTH_STATES (one round trip per queue). */
export async function queueDepths(queues: ReadonlyArray<Pick<Queue, 'name' | 'getJobCounts'>>): Promise<QueueDepth[]> {
  const perQueue = await Promise.all(
    queues.map(async (q) => {
      const counts = await q.getJobCounts(...QUEUE_DEPTH_STATES);
      return QUEUE_DEPTH_STATES.map((state) => ({ queue: q.name, state, count: counts[state] ?? 0 }));
    }),
  );
  return perQueue.flat();
}
