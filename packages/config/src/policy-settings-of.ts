import type { PolicySettings } from '@stagecraft/policy';
import type { StagecraftConfig } from './types.js';

/** The config's `policy.*` as decide() and explain() take them. */
export function policySettingsOf(config: Pick<StagecraftConfig, 'policy'>): PolicySettings {
  return {
    settleMs: config.policy.settle,
    settleMaxMs: config.policy.settleMax,
    throttleMs: config.policy.throttle,
    fullIntervalMs: config.policy.fullInterval,
    idleCheckMs: config.policy.idleCheck,
    maxRestarts: config.policy.maxRestarts,
    bisect: config.policy.bisect,
  };
}
