import type { Redis } from 'ioredis';

/**
 * BullMQ's worker.cancelJob() only reaches jobs of its own process, so cancellation is broadcast
 * on a Redis channel and every stage worker aborts the jobs it holds for that cycle.
 */
export class CancelListener {
  private readonly controllers = new Map<string, Set<AbortController>>();

  private constructor(private readonly subscriber: Redis) {}

  static async start(subscriber: Redis, channel: string): Promise<CancelListener> {
    const listener = new CancelListener(subscriber);
    subscriber.on('message', (ch: string, cycleId: string) => {
      if (ch === channel) listener.abort(cycleId);
    });
    await subscriber.subscribe(channel);
    return listener;
  }

  /** A controller aborted when the cycle is cancelled; call the returned release when done. */
  register(cycleId: string): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const set = this.controllers.get(cycleId) ?? new Set();
    set.add(controller);
    this.controllers.set(cycleId, set);
    return {
      signal: controller.signal,
      release: () => {
        set.delete(controller);
        if (set.size === 0) this.controllers.delete(cycleId);
      },
    };
  }

  private abort(cycleId: string): void {
    for (const c of this.controllers.get(cycleId) ?? []) c.abort(new Error(`cycle ${cycleId} was cancelled`));
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
