import type { ExecutorDefinition } from '../contract/executor-definition.js';
import { stageSettingsOf } from '../registry/stage-settings-of.js';
import { LocalStageExecutor } from './local-stage-executor.js';

/** `executor: local`: the stage's shell command, for every stage. */
export const localExecutor: ExecutorDefinition = {
  kind: 'local',
  stages: ['compose', 'build', 'drain', 'deploy', 'test-kernel'],
  create(stage, { config }) {
    const settings = stageSettingsOf(config, stage);
    if (settings.executor !== 'local' || !settings.command) return null;
    return new LocalStageExecutor({ command: settings.command, timeoutMs: settings.timeout, cwd: settings.cwd ?? null, env: settings.env });
  },
};
