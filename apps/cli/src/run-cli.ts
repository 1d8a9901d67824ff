import { ConfigError } from '@stagecraft/config';
import { LaunchFailure } from '@stagecraft/launcher';
import type { CliCommand } from './cli-command.js';
import type { CliIo } from './cli-io.js';
import { configCheckCommand } from './commands/config-check.js';
import { demoCommand } from './commands/demo.js';
import { helpCommand } from './commands/help.js';
import { promotionCommand } from './commands/promotion.js';
import { sendWebhookCommand } from './commands/send-webhook.js';
import { simulateCommand } from './commands/simulate.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { CliFailure } from './errors/cli-failure.js';
import { UsageError } from './errors/usage-error.js';
import { parseCliArgs } from './parse-cli-args.js';

/**
 * Runs one command line and returns the exit code: 0 done, 1 failed at run time, 2 the command
 * line or the config is wrong. Expected failures print their message only, never a stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(parseCliArgs(argv), io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof CliFailure || err instanceof LaunchFailure) {
      io.err(`${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    io.err(`stagecraft: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

async function dispatch(cmd: CliCommand, io: CliIo): Promise<number> {
  switch (cmd.name) {
    case 'help':
      return helpCommand(cmd, io);
    case 'config-check':
      return configCheckCommand(cmd, io);
    case 'simulate':
      return simulateCommand(cmd, io);
    case 'status':
      return statusCommand(cmd, io);
    case 'start':
      return startCommand(cmd, io);
    case 'send-webhook':
      return sendWebhookCommand(cmd, io);
    case 'demo':
      return demoCommand(cmd, io);
    case 'promotion':
      return promotionCommand(cmd, io);
  }
}
