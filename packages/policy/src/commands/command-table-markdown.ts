import { audienceText, listedCommands } from './command-table.js';

/** README's command table: the entries `@<bot> help` lists, as Markdown. */
export function commandTableMarkdown(botName: string): string {
  return [
    '| command | who | what it does |',
    '|---|---|---|',
    ...listedCommands().map((c) => `| \`@${botName} ${c.name}\` | ${audienceText(c.who)} | ${c.help} |`),
  ].join('\n');
}
