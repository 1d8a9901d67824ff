import type { ExecutorDefinition, ExecutorDeps } from '@stagecraft/executors';
import { KubernetesBuildExecutor } from './kubernetes-build-executor.js';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { KubernetesDeployExecutor } from './kubernetes-deploy-executor.js';

/** `executor: kubernetes`: build runs a Job per component; deploy patches Deployments and waits for the rollout. */
export const kubernetesExecutor: ExecutorDefinition = {
  kind: 'kubernetes',
  stages: ['build', 'deploy'],
  create(stage, { config, logger }) {
    if (stage === 'build') {
      const settings = config.stages.build;
      if (settings.executor !== 'kubernetes') return null;
      const clusters = checkedClusters(config.environments, 'build', logger);
      return new KubernetesBuildExecutor({
        target: (env) => {
          const cluster = clusters.forEnv(env);
          return { namespace: cluster.namespace, jobs: cluster.batch, pods: cluster.core, logs: cluster.log };
        },
        components: config.components,
        jobTemplate: settings.jobTemplate,
        imageTag: settings.imageTag,
        ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished,
        timeoutMs: settings.timeout,
        pollIntervalMs: settings.pollInterval,
        logTailLines: settings.logTailLines,
      });
    }
    const settings = config.stages.deploy;
    if (settings.executor !== 'kubernetes') return null;
    const clusters = checkedClusters(config.environments, 'deploy', logger);
    return new KubernetesDeployExecutor({
      target: (env) => {
        const cluster = clusters.forEnv(env);
        return { namespace: cluster.namespace, deployments: cluster.apps };
      },
      components: config.components,
      imageTag: settings.imageTag,
      timeoutMs: settings.timeout,
      rolloutTimeoutMs: settings.rolloutTimeout,
      pollIntervalMs: settings.pollInterval,
    });
  },
};

/** The clusters of every environment, warning at start about environments a stage could not reach. */
function checkedClusters(environments: ExecutorDeps['config']['environments'], stage: 'build' | 'deploy', logger: ExecutorDeps['logger']): KubernetesClusters {
  const clusters = new KubernetesClusters(environments, stage);
  const missing = clusters.check();
  if (missing.length > 0) logger.warn({ environments: missing }, `environments without kubernetes settings: ${stage === 'build' ? 'builds for' : 'deploys to'} them will fail`);
  return clusters;
}
