import type { StageName } from '@stagecraft/queue';
import type { ExecutorDefinition, ExecutorDeps } from '../contract/executor-definition.js';
import type { StageExecutor } from '../contract/stage-executor.js';
import { UnknownExecutorError } from '../errors/unknown-executor-error.js';
import { stageSettingsOf } from './stage-settings-of.js';

/**
 * The executors a stage worker can run, keyed by `stages.<stage>.executor`. The stage's configured
 * kind builds its executor; definitions configured for another stage may follow it (see
 * ExecutorDefinition.follows).
 */
export class ExecutorRegistry {
  constructor(private readonly definitions: readonly ExecutorDefinition[]) {}

  /** The kinds that can carry out `stage`. */
  kinds(stage: StageName): string[] {
    return this.definitions.filter((d) => d.stages.includes(stage)).map((d) => d.kind);
  }

  executorFor(stage: StageName, deps: ExecutorDeps): StageExecutor | null {
    const kind = stageSettingsOf(deps.config, stage).executor;
    const own = this.definitions.find((d) => d.kind === kind && d.stages.includes(stage));
    if (!own) throw new UnknownExecutorError(stage, kind, this.kinds(stage));
    let executor = own.create(stage, deps);
    for (const d of this.definitions) {
      const follows = d.follows;
      if (!follows || follows.stage !== stage) continue;
      if (stageSettingsOf(deps.config, follows.from).executor !== d.kind) continue;
      executor = follows.wrap(executor, deps);
    }
    return executor;
  }
}
