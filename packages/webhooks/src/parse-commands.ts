import type { CommandName } from '@stagecraft/queue';

const COMMANDS = ['deploy', 'trigger', 'status', 'help', 'skip', 'promote', 'approve', 'reject', 'rollback'] as const satisfies readonly CommandName[];

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^\s*>/;

/**
 * The distinct `@<bot> <command>` mentions in a comment, in order of first appearance.
 *
 * Matching is case-insensitive and the mention may sit anywhere in a line, but text that only
 * talks about a command does not run it: lines quoting another comment (`> …`) and fenced code
 * blocks are skipped. The mention must be the whole handle (`@stagecraftx` is someone else), may
 * carry the app's `[bot]` suffix and a `:`/`,` after it, and the command must be a whole word.
 */
export function parseCommands(body: string, botName: string): CommandName[] {
  const mention = new RegExp(
    `(?<![\\w@./-])@${escapeRegExp(botName)}(?:\\[bot\\])?[:,]?\\s+(${COMMANDS.join('|')})(?![\\w-])`,
    'gi',
  );
  const found: CommandName[] = [];
  let openFence: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    const fence = FENCE.exec(line)?.[1];
    if (openFence !== null) {
      // A fence closes only with the same character, at least as long as the one that opened it.
      if (fence !== undefined && fence[0] === openFence[0] && fence.length >= openFence.length && line.trim() === fence) {
        openFence = null;
      }
      continue;
    }
    if (fence !== undefined) {
      openFence = fence;
      continue;
    }
    if (QUOTE.test(line)) continue;
    for (const match of line.matchAll(mention)) {
      const command = match[1]!.toLowerCase() as CommandName;
      if (!found.includes(command)) found.push(command);
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
