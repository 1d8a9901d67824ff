import type { CommandEvent, CommandName } from '@stagecraft/queue';
import type { PromotionAnswer, PromotionService } from './promotion-service.js';

export const PROMOTION_COMMANDS: ReadonlySet<CommandName> = new Set(['promote', 'approve', 'reject', 'rollback', 'override']);

/**
 * `@bot promote [release | sha]`, `@bot approve [request]`, `@bot reject [request] [reason…]`,
 * `@bot rollback [env] [release]`, `@bot override [request] <reason…>` (admins, past a deny window), for the one environment deployed by promotion (or the one the
 * rollback names). A promote on a commit comment with no argument promotes that commit.
 */
export async function runPromotionCommand(ev: CommandEvent, promotions: PromotionService): Promise<PromotionAnswer> {
  const envs = promotions.promotedEnvironments();
  const args = [...(ev.args ?? [])];
  const named = args[0] && envs.includes(args[0]) ? args.shift()! : null;
  const env = named ?? envs[0];
  if (!env) return { ok: false, message: 'no environment is deployed by promotion (set approval: true on one, e.g. production)' };
  const ref = args[0] ?? null;
  switch (ev.command) {
    case 'promote':
      return promotions.promote({ env, by: ev.by, ref: ref ?? ev.sha });
    case 'rollback':
      return promotions.rollback({ env, by: ev.by, ref });
    case 'approve':
      return promotions.approve({ env, by: ev.by, requestId: ref && /-p\d+$/.test(ref) ? ref : null });
    case 'reject': {
      const requestId = ref && /-p\d+$/.test(ref) ? args.shift()! : null;
      return promotions.reject({ env, by: ev.by, requestId, reason: args.length > 0 ? args.join(' ') : null });
    }
    case 'override': {
      const requestId = ref && /-p\d+$/.test(ref) ? args.shift()! : null;
      return promotions.override({ env, by: ev.by, requestId, reason: args.join(' ') });
    }
    default:
      return { ok: false, message: `${ev.command} is not a promotion command` };
  }
}
