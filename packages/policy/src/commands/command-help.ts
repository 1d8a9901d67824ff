import { audienceText, listedCommands } from './command-table.js';

/** The answer to `@<bot> help`. */
export function commandHelp(botName: string): string {
  return [
    `Commands for @${botName}, anywhere in a PR comment:`,
    ...listedCommands().map((c) => `- \`@${botName} ${c.name}\`${c.who === 'anyone' ? '' : ` (${audienceText(c.who)})`}: ${c.help}`),
  ].join('\n');
}
