import type { EnvState } from '@stagecraft/policy';
import { formatDuration } from '@stagecraft/policy';

const hhmmss = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** The answer to `@bot help`. */
export function helpReply(botName: string): string {
  return [
    `Commands for @${botName}, anywhere in a PR comment:`,
    `- \`@${botName} deploy\` (maintainers): a partial cycle now, no settle or throttle; on a PR from an untrusted author it also approves that head commit for staging.`,
    `- \`@${botName} trigger\` (maintainers): a full cycle now (deploy, test-kernel builds, reference tests).`,
    `- \`@${botName} skip\` (the PR's author or a maintainer): leave this PR out of staging until a maintainer's \`deploy\`.`,
    `- \`@${botName} promote [release | sha]\`: ask to deploy a release that passed staging to production; \`approve [request]\`, \`reject [request] [reason]\` (trust.approvers); \`rollback [release]\`: back to the previous production release, after the same approvals.`,
    `- \`@${botName} status\`: what runs on each environment and what is scheduled next.`,
    `- \`@${botName} help\`: this list.`,
  ].join('\n');
}

/** The answer to `@bot status`: each environment's running and next cycle. */
export function statusReply(states: EnvState[], now: number): string {
  return states
    .map((s) => {
      const running = s.running
        ? `running ${s.running.id} (${s.running.kind}, ${s.running.trigger}) for ${formatDuration(now - s.running.startedAt)}${s.running.cancelling ? ', being cancelled' : ''}`
        : 'nothing running';
      const next = s.pending
        ? `next: ${s.pending.id} ${s.pending.waitingFor === 'running-cycle' ? 'after the running cycle' : `at ${hhmmss(s.pending.runAt)} (${s.pending.waitingFor})`}, ${s.pending.changes} change(s)`
        : 'nothing scheduled';
      const last = s.lastFinishedAt ? `; last cycle finished ${formatDuration(now - s.lastFinishedAt)} ago` : '';
      return `**${s.env}**: ${running}; ${next}${last}.`;
    })
    .join('\n');
}
