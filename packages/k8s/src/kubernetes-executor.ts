import type { ExecutorDefinition } from '@stagecraft/executors';
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
      const clusters = new KubernetesClusters(config.environments, 'build');
      const missing = clusters.check();
      if (missing.length > 0) logger.warn({ environments: missing }, 'environments without kubernetes settings: builds for them will fail');
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
    const clusters = new KubernetesClusters(config.environments, 'deploy');
    const missing = clusters.check();
    if (missing.length > 0) logger.warn({ environments: missing }, 'environments without kubernetes settings: deploys to them will fail');
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
