import type { StageContext } from '../stage-context.js';
import type { StageResult } from '@stagecraft/queue';

export interface ExecutorOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  summary: string;
  details: Record<string, unknown> | null;
  outputTail: string[];
}

/** What a stage needs from whatever carries it out: a local command, a Kubernetes Job, an HTTP API. */
export interface StageExecutor {
  readonly description: string;
  run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome>;
  /**
   * Told when this stage will not run in a cycle (cancelled or blocked before it started), with
   * what the earlier stages did, so an executor can undo what they left behind (a paused API).
   */
  notRun?(ctx: StageContext, why: { reason: string; earlier: StageResult[] }, io: { log: (line: string) => void }): Promise<void>;
}
