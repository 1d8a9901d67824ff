import type { CycleKind, PolicyCommand, Role } from '../types.js';

/** Who may use a command. */
export type CommandAudience = 'maintainers' | 'pr-author-or-maintainers' | 'approvers' | 'admins' | 'anyone';

/** What a command does once it is allowed. */
export type CommandEffect =
  /** decide() schedules a cycle of this kind now. */
  | { cycle: CycleKind }
  /** decide() takes the PR out of staging until a maintainer's deploy. */
  | { skip: true }
  /** The scheduler answers on the PR; no environment changes. */
  | { answer: 'status' | 'help' }
  /** The promotion rules (packages/policy/src/promotion) act on it: production only after approvers say so. */
  | { promotion: 'promote' | 'approve' | 'reject' | 'rollback' | 'override' };

export interface CommandSpec {
  name: string;
  who: CommandAudience;
  does: CommandEffect;
  /** The `@<bot> help` line and README's description; null leaves the command out of both. */
  help: string | null;
}

/**
 * Every `@<bot> <command>`, in the order help lists them: the comment parser takes the names from
 * here, decide() the audience and the effect, and the help reply and README the text.
 */
export const COMMAND_TABLE = [
  {
    name: 'deploy',
    who: 'maintainers',
    does: { cycle: 'partial' },
    help: 'a partial cycle now, no settle or throttle; on a PR from an untrusted author it also approves that head commit for staging.',
  },
  { name: 'trigger', who: 'maintainers', does: { cycle: 'full' }, help: 'a full cycle now (deploy, test-kernel builds, reference tests).' },
  { name: 'skip', who: 'pr-author-or-maintainers', does: { skip: true }, help: "leave this PR out of staging until a maintainer's `deploy`." },
  { name: 'status', who: 'anyone', does: { answer: 'status' }, help: 'what runs on each environment and what is scheduled next.' },
  { name: 'help', who: 'anyone', does: { answer: 'help' }, help: 'this list.' },
  {
    name: 'promote',
    who: 'anyone',
    does: { promotion: 'promote' },
    help: 'ask to deploy a release that passed staging to production (`promote [release-id or sha]`; by default the newest that passed a full cycle); it deploys after the approvals `environments.<env>.approvals` asks for.',
  },
  { name: 'approve', who: 'approvers', does: { promotion: 'approve' }, help: 'approve the waiting promotion or rollback (`approve [request]`); an approver asking to promote counts as one approval.' },
  { name: 'reject', who: 'approvers', does: { promotion: 'reject' }, help: 'reject the waiting request (`reject [request] [reason]`).' },
  {
    name: 'rollback',
    who: 'approvers',
    does: { promotion: 'rollback' },
    help: 'deploy the previous production release again, or the one named (`rollback [environment] [release]`), after the same approvals.',
  },
  {
    name: 'override',
    who: 'admins',
    does: { promotion: 'override' },
    help: 'deploy an approved request now although a deny window holds it (`override [request] <reason>`; the reason goes to the audit log).',
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMAND_TABLE)[number]['name'];

export const COMMAND_NAMES = COMMAND_TABLE.map((c) => c.name) as [CommandName, ...CommandName[]];

export function commandSpec(name: CommandName): CommandSpec {
  return COMMAND_TABLE.find((c) => c.name === name)!;
}

/** Commands that decide() rules on (a cycle, a skip); the others change no environment. */
export function isPolicyCommand(name: CommandName): name is CommandName & PolicyCommand {
  const does = commandSpec(name).does;
  return 'cycle' in does || 'skip' in does;
}

/** The audience rule: may someone with this role (and authorship of the PR) use the command? */
export function mayUseCommand(name: CommandName, user: { role: Role; isAuthor: boolean }): boolean {
  switch (commandSpec(name).who) {
    case 'maintainers':
      return user.role === 'maintainer';
    case 'pr-author-or-maintainers':
      return user.isAuthor || user.role === 'maintainer';
    case 'approvers':
    case 'admins':
      // Approvers and admins are not roles: the promotion rules check trust.approvers and trust.admins themselves.
      return false;
    case 'anyone':
      return true;
  }
}

/** Why `by` may not use the command: the refusal decide() gives and the reply quotes. */
export function commandRefusal(name: CommandName, by: string): string {
  switch (commandSpec(name).who) {
    case 'maintainers':
      return `only maintainers may ${name}; ${by} is not one (trust.maintainers)`;
    case 'pr-author-or-maintainers':
      return `only the PR's author or a maintainer may ${name} it`;
    case 'approvers':
      return `only approvers may ${name}; ${by} is not one (trust.approvers)`;
    case 'admins':
      return `only admins may ${name}; ${by} is not one (trust.admins)`;
    case 'anyone':
      return `${by} may ${name}`;
  }
}

/** The audience as help and README name it. */
export function audienceText(who: CommandAudience): string {
  switch (who) {
    case 'maintainers':
      return 'maintainers';
    case 'pr-author-or-maintainers':
      return "the PR's author or a maintainer";
    case 'approvers':
      return 'approvers';
    case 'admins':
      return 'admins';
    case 'anyone':
      return 'anyone';
  }
}

/** The commands help and README list, in order. */
export function listedCommands(): Array<CommandSpec & { help: string }> {
  return COMMAND_TABLE.filter((c): c is (typeof COMMAND_TABLE)[number] & { help: string } => c.help !== null);
}
