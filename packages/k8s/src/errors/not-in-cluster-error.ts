/** inCluster: true, but this process is not in a Kubernetes pod. */
export class NotInClusterError extends Error {
  override name = 'NotInClusterError';

  constructor(setting: string) {
    super(
      `${setting} is true, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this process is not running in a pod; set kubeconfig instead, or run it in the cluster`,
    );
  }
}
