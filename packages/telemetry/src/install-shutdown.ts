import type { Logger } from './create-logger.js';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

/**
 * On SIGTERM/SIGINT: run the steps in order within the grace period, then exit — 0 when all
 * finished, 1 when the grace ran out (the orchestrator then restarts or replaces the process).
 */
export function installShutdown(opts: { logger: Logger; graceMs: number; steps: ShutdownStep[] }): void {
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    opts.logger.info({ signal, graceMs: opts.graceMs }, 'shutting down');
    const deadline = setTimeout(() => {
      opts.logger.error({ graceMs: opts.graceMs }, 'shutdown grace exceeded, exiting');
      process.exit(1);
    }, opts.graceMs);
    deadline.unref();
    for (const step of opts.steps) {
      try {
        await step.run();
      } catch (err) {
        opts.logger.warn({ step: step.name, err: (err as Error).message }, 'shutdown step failed');
      }
    }
    clearTimeout(deadline);
    opts.logger.info('stopped');
    opts.logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
