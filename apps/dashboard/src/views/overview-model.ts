import type { CycleRecord, ReleaseRecord, ExcludedPr } from '@stagecraft/engine';
import type { EnvState, Explanation, PromotionRequest } from '@stagecraft/policy';
import type { AuditEntry } from '../audit-log.js';
import type { IgnoredRepository } from '../repositories/ignored-repositories.js';

/** Everything the overview page shows, loaded once per request. */
export interface OverviewModel {
  now: number;
  /** The configured repositories (`owner/name`), in config order. */
  repositories: string[];
  /** Webhooks ingress ignored, per repository that is not configured. */
  ignoredRepositories: IgnoredRepository[];
  /** PRs a bisection excluded that are still out of staging. */
  exclusions: ExcludedPr[];
  environments: Array<{
    name: string;
    approval: boolean;
    /** What runs, what runs next, when and why (explain()). */
    explanation: Explanation;
    running: CycleRecord | null;
    /** The newest cycle whose deploy succeeded: what the environment runs now. */
    deployed: CycleRecord | null;
    /** The failed cycle whose bisection runs now, else the newest bisected one of the recent cycles. */
    bisected: CycleRecord | null;
  }>;
  history: CycleRecord[];
  audit: AuditEntry[];
  /** Per environment deployed by promotion: open requests, and the releases deployed there (newest first). */
  approvals: Array<{ env: string; waiting: PromotionRequest[]; releases: ReleaseRecord[] }>;
}
