import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { USAGE_TEXT } from '../usage-text.js';

/** `stagecraft help`; also what a command line that names no known command gets, on stderr, exit 2. */
export function helpCommand(cmd: Extract<CliCommand, { name: 'help' }>, io: CliIo): number {
  if (cmd.problem === null) {
    io.out(USAGE_TEXT);
    return 0;
  }
  io.err(`stagecraft: ${cmd.problem}\n\n${USAGE_TEXT}`);
  return 2;
}
