import { QueueEvents, type ConnectionOptions } from 'bullmq';

export type LiveListener = (change: { queue: string; event: string; jobId: string }) => void;

/**
 * What changed in the queues, from BullMQ's QueueEvents (Redis streams): every dashboard replica
 * hears every change, so server-sent events stay live whichever replica a browser is on.
 */
export class LiveEvents {
  private readonly listeners = new Set<LiveListener>();
  private readonly sources: QueueEvents[];

  constructor(queues: string[], opts: { connection: () => ConnectionOptions; prefix: string }) {
    this.sources = queues.map((queue) => {
      const events = new QueueEvents(queue, { connection: opts.connection(), prefix: opts.prefix });
      for (const event of ['added', 'active', 'completed', 'failed', 'delayed'] as const) {
        events.on(event, ({ jobId }: { jobId: string }) => this.emit({ queue, event, jobId }));
      }
      return events;
    });
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
  }

  private emit(change: { queue: string; event: string; jobId: string }): void {
    for (const l of this.listeners) l(change);
  }
}
