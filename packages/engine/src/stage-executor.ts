import type { StageContext } from '@stagecraft/executors';

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
}
