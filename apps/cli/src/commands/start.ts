import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { findRepoRoot } from '../repo-root.js';
import { runStackSession } from '../stack-session.js';
import { upLine } from '../up-line.js';

/** `stagecraft start`: every app as a supervised child process with one log stream, until Ctrl-C. */
export async function startCommand(cmd: Extract<CliCommand, { name: 'start' }>, io: CliIo): Promise<number> {
  return runStackSession({
    launch: {
      root: findRepoRoot(),
      cwd: io.cwd,
      configPath: cmd.configPath,
      only: cmd.only,
      replicas: cmd.replicas,
      generateWebhookSecret: false,
      color: io.isTty,
    },
    notice: (line) => io.err(`${line}\n`),
    whenUp: async (stack) => {
      stack.log.cli(upLine(stack, cmd.only));
      return 'keep-running';
    },
  });
}
