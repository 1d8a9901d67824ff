import type { Redis } from 'ioredis';
import type { StagecraftConfig } from '@stagecraft/config';
import type { StageName } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { StageExecutor } from './stage-executor.js';

/** What an executor is built from: the parsed config, a logger, and Redis for what it must remember. */
export interface ExecutorDeps {
  config: StagecraftConfig;
  logger: Logger;
  /** A Redis connection shared by the stage worker's non-blocking clients. */
  redis: () => Redis;
}

/**
 * One kind of executor (`stages.<stage>.executor: <kind>`): the stages it can carry out and how to
 * build it for one of them. Adding an executor is a folder with its code plus one definition.
 */
export interface ExecutorDefinition {
  readonly kind: string;
  readonly stages: readonly StageName[];
  /** null: the stage's config leaves it without anything to run (e.g. a local stage with no command). */
  create(stage: StageName, deps: ExecutorDeps): StageExecutor | null;
  /**
   * Work this executor leaves for a later stage's worker when it carries out `from` (e.g. the http
   * drain's paused API is resumed once deploy finished): `wrap` surrounds that stage's executor.
   */
  readonly follows?: {
    from: StageName;
    stage: StageName;
    wrap(inner: StageExecutor | null, deps: ExecutorDeps): StageExecutor | null;
  };
}
