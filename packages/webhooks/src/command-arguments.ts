import type { CommandName } from '@stagecraft/queue';

/** Commands that take words after them: `promote [release | sha]`, `rollback [env] [release]`, `reject [reason…]`. */
const TAKES_ARGUMENTS: ReadonlySet<CommandName> = new Set(['promote', 'approve', 'reject', 'rollback']);

/**
 * The words after the first `@<bot> <command>` of a comment (up to the end of its line, at most
 * eight, each a plain token), so `@bot promote staging-41` names the release. Quoted and fenced
 * lines are not looked at, as parseCommands does not.
 */
export function commandArguments(body: string, botName: string, command: CommandName): string[] {
  if (!TAKES_ARGUMENTS.has(command)) return [];
  const escaped = botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mention = new RegExp(`(?<![\\w@./-])@${escaped}(?:\\[bot\\])?[:,]?\\s+${command}(?![\\w-])([^\\n]*)`, 'i');
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || /^\s*>/.test(line)) continue;
    const match = mention.exec(line);
    if (match) {
      return match[1]!
        .split(/\s+/)
        .filter((w) => /^[\w./:@-]{1,200}$/.test(w))
        .slice(0, 8);
    }
  }
  return [];
}
