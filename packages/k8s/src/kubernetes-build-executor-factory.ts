import { localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { KubernetesBuildExecutor } from './kubernetes-build-executor.js';
import { KubernetesClusters } from './kubernetes-clusters.js';

/** build runs its configured executor: a local command, or a Kubernetes Job per component. */
export const kubernetesBuildExecutorFactory: ExecutorFactory = (runtime) => {
  const { config, logger } = runtime;
  const stage = config.stages.build;
  if (stage.executor !== 'kubernetes') return localExecutorFactory('build')(runtime);
  const clusters = new KubernetesClusters(config.environments, 'build');
  const missing = clusters.check();
  if (missing.length > 0) logger.warn({ environments: missing }, 'environments without kubernetes settings: builds for them will fail');
  return new KubernetesBuildExecutor({
    target: (env) => {
      const cluster = clusters.forEnv(env);
      return { namespace: cluster.namespace, jobs: cluster.batch, pods: cluster.core, logs: cluster.log };
    },
    components: config.components,
    jobTemplate: stage.jobTemplate,
    imageTag: stage.imageTag,
    ttlSecondsAfterFinished: stage.ttlSecondsAfterFinished,
    timeoutMs: stage.timeout,
    pollIntervalMs: stage.pollInterval,
    logTailLines: stage.logTailLines,
  });
};
