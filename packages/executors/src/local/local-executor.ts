import type { ExecutorDefinition } from '../contract/executor-definition.js';
import { STAGE_CONFIG_KEY, stageSettingsOf } from '../registry/stage-settings-of.js';
import { LocalStageExecutor } from './local-stage-executor.js';
import { revealStageEnv } from './reveal-stage-env.js';

/** `executor: local`: the stage's shell command, for every stage. */
export const localExecutor: ExecutorDefinition = {
  kind: 'local',
  stages: ['compose', 'build', 'drain', 'deploy', 'test-kernel'],
  create(stage, { config, logger }) {
    const settings = stageSettingsOf(config, stage);
    if (settings.executor !== 'local' || !settings.command) return null;
    const { env, unset } = revealStageEnv(settings.env);
    if (unset.length > 0) {
      const key = STAGE_CONFIG_KEY[stage];
      logger.info({ stage, unset }, `stages.${key}.env reads variables that are not set here: the command runs without ${unset.join(', ')}`);
    }
    return new LocalStageExecutor({ command: settings.command, timeoutMs: settings.timeout, cwd: settings.cwd ?? null, env, killGraceMs: settings.killGrace });
  },
};
