import type { PromotionRequest, RuleAnswer } from './promotion-types.js';
import { FINAL_PROMOTION_STATES } from './promotion-types.js';

/** A waiting or approved request whose time is up expires (one that is deploying does not). */
export function isExpired(request: PromotionRequest, now: number): boolean {
  return request.state === 'waiting' && now >= request.expiresAt;
}

export function expirePromotion(request: PromotionRequest, now: number): PromotionRequest {
  return { ...request, state: 'expired', reason: `not approved within its time (it had ${request.approvals.length} of ${request.required} approvals)`, updatedAt: now };
}

/**
 * Rejected by an approver, or cancelled by whoever asked or an approver; only before it deploys.
 */
export function closePromotion(
  request: PromotionRequest,
  how: 'rejected' | 'cancelled',
  who: { login: string; isApprover: boolean },
  reason: string | null,
  now: number,
): RuleAnswer<PromotionRequest> {
  const asker = who.login.toLowerCase() === request.requestedBy.toLowerCase();
  if (how === 'rejected' && !who.isApprover) return { ok: false, reason: `@${who.login} is not an approver (trust.approvers) and cannot reject ${request.env} deploys` };
  if (how === 'cancelled' && !who.isApprover && !asker) return { ok: false, reason: `only whoever asked (@${request.requestedBy}) or an approver can cancel request ${request.id}` };
  if (FINAL_PROMOTION_STATES.includes(request.state)) return { ok: false, reason: `request ${request.id} is already ${request.state}` };
  if (request.state === 'deploying') return { ok: false, reason: `request ${request.id} is deploying already (cycle ${request.cycleId}); roll back instead` };
  return { ok: true, value: { ...request, state: how, reason: reason ?? `${how} by @${who.login}`, updatedAt: now } };
}
