import type { Queue } from 'bullmq';
import { queueDepths } from '@stagecraft/queue';
import type { Metrics } from '@stagecraft/telemetry';

export interface QueueDepthGaugeOptions {
  /** A scrape waits this long for Redis before answering without queue depths (default 2 s). */
  timeoutMs?: number;
  onError?: (err: Error) => void;
}

/**
 * stagecraft_queue_jobs{queue,state}: the jobs each queue holds per state, counted from Redis on
 * every scrape. When Redis does not answer in time the series are left out of that scrape, so a
 * dashboard shows a gap instead of stale depths, and the rest of /metrics still answers.
 */
export function queueDepthGauge(metrics: Metrics, queues: ReadonlyArray<Pick<Queue, 'name' | 'getJobCounts'>>, opts: QueueDepthGaugeOptions = {}): void {
  const timeoutMs = opts.timeoutMs ?? 2000;
  metrics.gauge('stagecraft_queue_jobs', 'Jobs in each queue by state, counted on every scrape', ['queue', 'state'], async function collect() {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue depths: Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const counting = queueDepths(queues);
    counting.catch(() => undefined); // a late failure after the timeout is not unhandled
    try {
      const depths = await Promise.race([counting, timeout]);
      this.reset();
      for (const { queue, state, count } of depths) this.set({ queue, state }, count);
    } catch (err) {
      this.reset();
      opts.onError?.(err as Error);
    } finally {
      clearTimeout(timer);
    }
  });
}
