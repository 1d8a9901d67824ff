/** The vocabulary of promotions: a release of one environment deployed to another after approvals. */

export type PromotionAction = 'promote' | 'rollback';

export type PromotionState =
  | 'waiting' // for approvals
  | 'approved' // enough approvals; deploys when no deny window and no other production cycle is in the way
  | 'deploying'
  | 'deployed'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'cancelled';

/** States a request does not leave. */
export const FINAL_PROMOTION_STATES: readonly PromotionState[] = ['deployed', 'failed', 'rejected', 'expired', 'cancelled'];

export interface Approval {
  by: string;
  at: number;
}

export interface PromotionRequest {
  id: string;
  /** The environment deployed to (e.g. production). */
  env: string;
  action: PromotionAction;
  releaseId: string;
  state: PromotionState;
  requestedBy: string;
  requestedAt: number;
  expiresAt: number;
  approvals: Approval[];
  /** Approvals needed, fixed when the request was made. */
  required: number;
  /** Authors of the release's PRs (noSelfApproval). */
  releaseAuthors: string[];
  /** Not before this time (a deny window); null: as soon as approved. */
  deployAt: number | null;
  /** An admin deployed it inside a deny window. */
  override: { by: string; reason: string; at: number } | null;
  cycleId: string | null;
  /** Why it was rejected, cancelled, expired or failed. */
  reason: string | null;
  updatedAt: number;
}

export interface PromotionRules {
  approvals: number;
  noSelfApproval: boolean;
  requestTtlMs: number;
  /** Which source cycle a promoted release must have passed. */
  requires: 'full' | 'partial';
}

/** What the rules need to know of a release. */
export interface ReleaseFacts {
  id: string;
  /** The environment it was deployed to (e.g. staging). */
  env: string;
  kind: 'full' | 'partial' | 'release';
  /** The whole cycle succeeded (tests included, for a full one). */
  passed: boolean;
  /** The cycle's outcome, for the reason of a refusal. */
  outcome: string;
  prAuthors: string[];
}

export type RuleAnswer<T> = { ok: true; value: T } | { ok: false; reason: string };
