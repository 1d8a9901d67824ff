import { formatUtcClock, type EnvState, type PolicyAction } from '@stagecraft/policy';
import type { CommandEvent } from '@stagecraft/queue';

/** The answer to a deploy, trigger or skip command, from what decide() made of it. */
export function commandReply(ev: CommandEvent, actions: PolicyAction[], botName: string, after?: Pick<EnvState, 'pending' | 'running'>): string {
  const refused = actions.find((a) => a.type === 'refuse-command');
  if (refused && ev.command === 'skip') return `@${ev.by} nothing changed: ${refused.reason}.`;
  if (refused) return `@${ev.by} nothing ran: ${refused.reason}. Maintainers may comment \`@${botName} ${ev.command}\`.`;
  const skipped = actions.find((a) => a.type === 'skip-pr');
  if (skipped?.type === 'skip-pr') return `#${skipped.pr} is left out of staging until a maintainer comments \`@${botName} deploy\`.`;
  const kind = ev.command === 'trigger' ? 'full' : 'partial';
  const approved = actions.find((a) => a.type === 'approve-head');
  const approval = approved?.type === 'approve-head' ? ` Head ${approved.sha.slice(0, 7)} of #${approved.pr} is approved for staging; a later push needs a new \`@${botName} deploy\`.` : '';
  const started = actions.find((a) => a.type === 'start-cycle');
  if (started?.type === 'start-cycle') return `Started a ${kind} cycle now (${started.cycle.id}).${approval}`;
  const cancelled = actions.find((a) => a.type === 'cancel-cycle');
  if (cancelled?.type === 'cancel-cycle') return `A ${kind} cycle runs as soon as ${cancelled.cycleId}, cancelled for it, has stopped.${approval}`;
  if (after?.running) return `A ${kind} cycle runs right after ${after.running.id}, in progress now, has finished.${approval}`;
  if (after?.pending && after.pending.waitingFor === 'throttle') {
    return `A ${kind} cycle runs at ${formatUtcClock(after.pending.runAt)}, after the throttle (deploys are spaced out).${approval}`;
  }
  if (after?.pending) return `A ${kind} cycle runs at ${formatUtcClock(after.pending.runAt)}.${approval}`;
  return `A ${kind} cycle runs right after the cycle in progress.${approval}`;
}

