import type { StagecraftConfig } from '@stagecraft/config';
import type { PolicySettings } from '@stagecraft/policy';

export function policySettingsFrom(config: StagecraftConfig): PolicySettings {
  return {
    settleMs: config.policy.settle,
    settleMaxMs: config.policy.settleMax,
    throttleMs: config.policy.throttle,
    fullIntervalMs: config.policy.fullInterval,
    idleCheckMs: config.policy.idleCheck,
    maxRestarts: config.policy.maxRestarts,
  };
}
