/**
 * A PR a bisection excluded that is still out of staging (its head is the one excluded), as
 * GET /api/environments lists it and `stagecraft status` shows it.
 */
export interface ExcludedPr {
  /** `owner/name` as configured. */
  repo: string;
  number: number;
  /** The excluded head. */
  sha: string;
  /** "it broke deploy in staging-12 (found by bisection in 3 cycles)". */
  reason: string;
  /** The failed cycle the bisection looked into, and its failing stage. */
  cycleId: string;
  stage: string;
  at: number;
  /** What brings it back, with the bot's name: a push, or a maintainer's deploy comment. */
  bringBack: string;
}
