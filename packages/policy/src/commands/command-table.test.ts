import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { commandHelp } from './command-help.js';
import { COMMAND_NAMES, commandRefusal, mayUseCommand } from './command-table.js';
import { commandTableMarkdown } from './command-table-markdown.js';

describe('the command table', () => {
  it('names every command the comment parser recognizes', () => {
    expect(COMMAND_NAMES).toEqual(['deploy', 'trigger', 'skip', 'status', 'help', 'promote', 'approve', 'reject', 'rollback', 'override']);
  });

  it.each([
    ['deploy', 'maintainer', false, true],
    ['deploy', 'trusted', true, false],
    ['trigger', 'untrusted', false, false],
    ['skip', 'untrusted', true, true],
    ['skip', 'maintainer', false, true],
    ['skip', 'trusted', false, false],
    ['status', 'untrusted', false, true],
    ['help', 'untrusted', false, true],
  ] as const)('%s by a %s user (author: %s) → allowed %s', (name, role, isAuthor, allowed) => {
    expect(mayUseCommand(name, { role, isAuthor })).toBe(allowed);
  });

  it('says why a command is refused', () => {
    expect(commandRefusal('deploy', 'bob')).toBe('only maintainers may deploy; bob is not one (trust.maintainers)');
    expect(commandRefusal('skip', 'bob')).toBe("only the PR's author or a maintainer may skip it");
  });

  it('renders the help reply from the table', () => {
    expect(commandHelp('stagecraft')).toBe(
      [
        'Commands for @stagecraft, anywhere in a PR comment:',
        '- `@stagecraft deploy` (maintainers): a partial cycle now, no settle or throttle; on a PR from an untrusted author it also approves that head commit for staging.',
        '- `@stagecraft trigger` (maintainers): a full cycle now (deploy, test-kernel builds, reference tests).',
        "- `@stagecraft skip` (the PR's author or a maintainer): leave this PR out of staging until a maintainer's `deploy`.",
        '- `@stagecraft status`: what runs on each environment and what is scheduled next.',
        '- `@stagecraft help`: this list.',
        '- `@stagecraft promote`: ask to deploy a release that passed staging to production (`promote [release-id or sha]`; by default the newest that passed a full cycle); it deploys after the approvals `environments.<env>.approvals` asks for.',
        '- `@stagecraft approve` (approvers): approve the waiting promotion or rollback (`approve [request]`); an approver asking to promote counts as one approval.',
        '- `@stagecraft reject` (approvers): reject the waiting request (`reject [request] [reason]`).',
        '- `@stagecraft rollback` (approvers): deploy the previous production release again, or the one named (`rollback [environment] [release]`), after the same approvals.',
        '- `@stagecraft override` (admins): deploy an approved request now although a deny window holds it (`override [request] <reason>`; the reason goes to the audit log).',
      ].join('\n'),
    );
  });

  it('is the command table README shows', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`<!-- command-table: rendered from packages/policy/src/commands/command-table.ts -->\n${commandTableMarkdown('stagecraft')}\n`);
  });
});
