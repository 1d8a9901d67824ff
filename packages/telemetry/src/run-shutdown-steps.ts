import type { Logger } from './create-logger.js';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

/**
 * Runs the steps in order, each bounded by what is left of the grace. A failing step is logged and
 * the next one still runs. Resolves with the exit code: 0 when every step finished in time, 1 when
 * the grace ran out (the steps after it are skipped).
 */
export async function runShutdownSteps(opts: { logger: Logger; graceMs: number; steps: ShutdownStep[] }): Promise<0 | 1> {
  const deadline = Date.now() + opts.graceMs;
  for (const step of opts.steps) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      opts.logger.error({ step: step.name, graceMs: opts.graceMs }, 'shutdown grace exceeded before this step');
      return 1;
    }
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => step.run())
        .then(
          () => 'done' as const,
          (err: unknown) => {
            opts.logger.warn({ step: step.name, err: err instanceof Error ? err.message : String(err) }, 'shutdown step failed');
            return 'failed' as const;
          },
        ),
      new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(() => resolve('timed-out'), remaining);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'timed-out') {
      opts.logger.error({ step: step.name, graceMs: opts.graceMs }, 'shutdown grace exceeded, step did not finish');
      return 1;
    }
    if (outcome === 'done') opts.logger.debug({ step: step.name }, 'shutdown step finished');
  }
  return 0;
}
