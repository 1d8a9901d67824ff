import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';

/**
 * A StageExecutor the test controls: each run waits until released (or cancelled) and records
 * what ran, so tests can hold a cycle in a stage and observe overlaps.
 */
export class GatedExecutor implements StageExecutor {
  readonly description = 'test gate';
  readonly runs: Array<{ cycleId: string; stage: string; outcome?: ExecutorOutcome['status'] }> = [];
  private active = 0;
  maxActive = 0;
  private waiters: Array<() => void> = [];
  private open: boolean;

  constructor(opts: { open?: boolean; fail?: boolean } = {}) {
    this.open = opts.open ?? true;
    this.fail = opts.fail ?? false;
  }

  fail: boolean;

  release(): void {
    this.open = true;
    for (const w of this.waiters.splice(0)) w();
  }

  hold(): void {
    this.open = false;
  }

  async run(ctx: { cycleId: string; stage: string }, io: { signal: AbortSignal }): Promise<ExecutorOutcome> {
    const entry: { cycleId: string; stage: string; outcome?: ExecutorOutcome['status'] } = { cycleId: ctx.cycleId, stage: ctx.stage };
    this.runs.push(entry);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (!this.open) {
        await new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          io.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const status = io.signal.aborted ? 'cancelled' : this.fail ? 'failed' : 'succeeded';
      entry.outcome = status;
      return { status, summary: `gate ${status}`, details: null, outputTail: [] };
    } finally {
      this.active--;
    }
  }
}
