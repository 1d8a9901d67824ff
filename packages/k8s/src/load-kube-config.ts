import { KubeConfig } from '@kubernetes/client-node';
import { KubeContextNotFoundError } from './errors/kube-context-not-found-error.js';
import { KubeconfigUnreadableError } from './errors/kubeconfig-unreadable-error.js';
import { NotInClusterError } from './errors/not-in-cluster-error.js';
import type { KubernetesSettings } from './kubernetes-settings.js';

/**
 * An environment's cluster: its kubeconfig file, else the pod's service account (inCluster), else
 * client-node's default (KUBECONFIG, ~/.kube/config, in-cluster); then the context it names.
 * `setting` names the settings in messages, e.g. "environments.staging.kubernetes".
 */
export function loadKubeConfig(settings: KubernetesSettings, setting: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  let source: string;
  if (settings.kubeconfig !== undefined) {
    source = settings.kubeconfig;
    try {
      kc.loadFromFile(settings.kubeconfig);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new KubeconfigUnreadableError(settings.kubeconfig, `${setting}.kubeconfig`, reason);
    }
  } else if (settings.inCluster) {
    if (!env['KUBERNETES_SERVICE_HOST'] || !env['KUBERNETES_SERVICE_PORT']) throw new NotInClusterError(`${setting}.inCluster`);
    source = 'of the pod (in cluster)';
    kc.loadFromCluster();
  } else {
    source = env['KUBECONFIG'] ? `${env['KUBECONFIG']} (from KUBECONFIG)` : '~/.kube/config (the default)';
    kc.loadFromDefault();
  }
  if (settings.context !== undefined) {
    if (kc.getContextObject(settings.context) === null) {
      throw new KubeContextNotFoundError(settings.context, source, kc.getContexts().map((c) => c.name), `${setting}.context`);
    }
    kc.setCurrentContext(settings.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new KubeconfigUnreadableError(source, setting, `its current context "${kc.getCurrentContext()}" names no cluster`);
  }
  return kc;
}
