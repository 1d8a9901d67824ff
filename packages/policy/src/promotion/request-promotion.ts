import type { PromotionAction, PromotionRequest, PromotionRules, ReleaseFacts, RuleAnswer } from './promotion-types.js';
import { approvalRefusal, type Approver } from './approve-promotion.js';

export interface PromotionAsk {
  id: string;
  env: string;
  action: PromotionAction;
  release: ReleaseFacts;
  by: Approver;
  now: number;
}

/**
 * A new request. Anyone may ask to promote (approvers decide); a rollback must come from an
 * approver. An approver's ask counts as their approval unless noSelfApproval forbids it for them.
 */
export function requestPromotion(ask: PromotionAsk, rules: PromotionRules): RuleAnswer<PromotionRequest> {
  if (ask.action === 'rollback' && !ask.by.isApprover) return { ok: false, reason: `@${ask.by.login} is not an approver (trust.approvers) and cannot roll back ${ask.env}` };
  const request: PromotionRequest = {
    id: ask.id,
    env: ask.env,
    action: ask.action,
    releaseId: ask.release.id,
    state: 'waiting',
    requestedBy: ask.by.login,
    requestedAt: ask.now,
    expiresAt: ask.now + rules.requestTtlMs,
    approvals: [],
    required: Math.max(1, rules.approvals),
    releaseAuthors: ask.release.prAuthors,
    deployAt: null,
    override: null,
    cycleId: null,
    reason: null,
    updatedAt: ask.now,
  };
  if (approvalRefusal(request, ask.by, rules.noSelfApproval, ask.now) !== null) return { ok: true, value: request };
  const approvals = [{ by: ask.by.login, at: ask.now }];
  return { ok: true, value: { ...request, approvals, state: approvals.length >= request.required ? 'approved' : 'waiting' } };
}
