import type { StagecraftConfig } from '@stagecraft/config';
import type { StageName } from '@stagecraft/queue';

type Stages = StagecraftConfig['stages'];

/** Where each stage's settings sit in the config (`test-kernel` is `stages.testKernel`). */
export const STAGE_CONFIG_KEY = {
  compose: 'compose',
  build: 'build',
  drain: 'drain',
  deploy: 'deploy',
  'test-kernel': 'testKernel',
} as const satisfies Record<StageName, keyof Stages>;

export function stageSettingsOf<S extends StageName>(config: StagecraftConfig, stage: S): Stages[(typeof STAGE_CONFIG_KEY)[S]] {
  return config.stages[STAGE_CONFIG_KEY[stage]];
}
