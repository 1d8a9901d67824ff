import type { Logger } from './create-logger.js';
import { runShutdownSteps, type ShutdownStep } from './run-shutdown-steps.js';

/**
 * On SIGTERM/SIGINT: run the steps in order within the grace period, then exit — 0 when all
 * finished, 1 when the grace ran out (the orchestrator then restarts or replaces the process).
 * A second signal while shutting down changes nothing.
 */
export function installShutdown(opts: { logger: Logger; graceMs: number; steps: ShutdownStep[] }): void {
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) {
      opts.logger.info({ signal }, 'already shutting down');
      return;
    }
    started = true;
    opts.logger.info({ signal, graceMs: opts.graceMs }, 'shutting down');
    const code = await runShutdownSteps(opts);
    if (code === 0) opts.logger.info('stopped');
    opts.logger.flush?.();
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
