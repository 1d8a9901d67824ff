import type { PullRequestHead } from './pull-request-head.js';

/**
 * What puts one update of a ref before or after another. The webhook's own data decides first —
 * for main the push chain (`before` → `sha`) and `pushed_at`, for a PR its `updated_at` — and the
 * arrival time only when that data cannot tell, so a late or re-run event never moves a head back.
 */
export interface HeadOrder {
  /** main: the pushed head and the head it replaced. */
  sha?: string;
  before?: string;
  /** `pushed_at` (main) or `updated_at` (PR) in epoch ms; absent when unknown. */
  at?: number;
  /** When ingress received the event, or when the scheduler read the head from GitHub. */
  receivedAt: number;
}

/** Each names its repository (`owner/name` as configured); a PR's head names it as `head.repo`. */
export type HeadsUpdate =
  | { kind: 'main'; repo: string; sha: string; order: HeadOrder }
  | { kind: 'pr-upsert'; head: PullRequestHead; order: HeadOrder }
  | { kind: 'pr-remove'; repo: string; pr: number; order: HeadOrder };

/** A PR's `updated_at` as the order's `at`. */
export function updatedAtMs(updatedAt: string | null): number | undefined {
  const ms = updatedAt === null ? NaN : Date.parse(updatedAt);
  return Number.isFinite(ms) ? ms : undefined;
}
