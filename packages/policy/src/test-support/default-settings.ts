import type { PolicySettings } from '../types.js';

/** The production defaults, as the tests reason about them in minutes. */
export const defaultSettings: PolicySettings = {
  settleMs: 5 * 60_000,
  settleMaxMs: 15 * 60_000,
  throttleMs: 30 * 60_000,
  fullIntervalMs: 6 * 3_600_000,
  idleCheckMs: 6 * 3_600_000,
  maxRestarts: 1,
};
