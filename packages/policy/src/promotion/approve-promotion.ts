import type { PromotionRequest, RuleAnswer } from './promotion-types.js';
import { FINAL_PROMOTION_STATES } from './promotion-types.js';

export interface Approver {
  login: string;
  /** Listed in trust.approvers (directly or through a team). */
  isApprover: boolean;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Why `who` may not approve this request (null: they may). */
export function approvalRefusal(request: PromotionRequest, who: Approver, noSelfApproval: boolean, now: number): string | null {
  if (!who.isApprover) return `@${who.login} is not an approver (trust.approvers) and cannot approve ${request.env} deploys`;
  if (FINAL_PROMOTION_STATES.includes(request.state)) return `request ${request.id} is already ${request.state}`;
  if (request.state !== 'waiting') return `request ${request.id} is already ${request.state}; it needs no more approvals`;
  if (now >= request.expiresAt) return `request ${request.id} expired`;
  if (request.approvals.some((a) => same(a.by, who.login))) return `@${who.login} already approved request ${request.id}`;
  if (noSelfApproval && request.releaseAuthors.some((author) => same(author, who.login))) {
    return `@${who.login} wrote a PR in release ${request.releaseId} and noSelfApproval is set: another approver must approve`;
  }
  return null;
}

/** Adds `who`'s approval; the request becomes approved once it has as many as it requires. */
export function approvePromotion(request: PromotionRequest, who: Approver, noSelfApproval: boolean, now: number): RuleAnswer<PromotionRequest> {
  const refusal = approvalRefusal(request, who, noSelfApproval, now);
  if (refusal) return { ok: false, reason: refusal };
  const approvals = [...request.approvals, { by: who.login, at: now }];
  return { ok: true, value: { ...request, approvals, state: approvals.length >= request.required ? 'approved' : 'waiting', updatedAt: now } };
}
