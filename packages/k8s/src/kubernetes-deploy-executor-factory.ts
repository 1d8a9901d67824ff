import { localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { KubernetesDeployExecutor } from './kubernetes-deploy-executor.js';

/** deploy runs its configured executor: a local command, or Deployments patched through the Kubernetes API. */
export const kubernetesDeployExecutorFactory: ExecutorFactory = (runtime) => {
  const { config, logger } = runtime;
  const stage = config.stages.deploy;
  if (stage.executor !== 'kubernetes') return localExecutorFactory('deploy')(runtime);
  const clusters = new KubernetesClusters(config.environments, 'deploy');
  const missing = clusters.check();
  if (missing.length > 0) logger.warn({ environments: missing }, 'environments without kubernetes settings: deploys to them will fail');
  return new KubernetesDeployExecutor({
    target: (env) => {
      const cluster = clusters.forEnv(env);
      return { namespace: cluster.namespace, deployments: cluster.apps };
    },
    components: config.components,
    imageTag: stage.imageTag,
    timeoutMs: stage.timeout,
    rolloutTimeoutMs: stage.rolloutTimeout,
    pollIntervalMs: stage.pollInterval,
  });
};
