/** A kubernetes executor ran for an environment without `kubernetes` settings. */
export class KubernetesNotConfiguredError extends Error {
  override name = 'KubernetesNotConfiguredError';

  constructor(env: string, stage: string) {
    super(
      `stages.${stage} uses the kubernetes executor, but environments.${env}.kubernetes is not set: give it at least a namespace (and kubeconfig/context, or inCluster: true)`,
    );
  }
}
