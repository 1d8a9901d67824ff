import { AppsV1Api, BatchV1Api, CoreV1Api, Log } from '@kubernetes/client-node';
import type { StagecraftConfig } from '@stagecraft/config';
import { KubernetesNotConfiguredError } from './errors/kubernetes-not-configured-error.js';
import { loadKubeConfig } from './load-kube-config.js';

export interface KubernetesCluster {
  namespace: string;
  apps: AppsV1Api;
  batch: BatchV1Api;
  core: CoreV1Api;
  /** Streams pod logs (follow). */
  log: Log;
}

/**
 * The clusters of the config's environments (environments.<env>.kubernetes), each loaded once.
 * `check()` loads every configured one up front, so a bad kubeconfig stops the app at start;
 * `forEnv` throws for an environment without kubernetes settings.
 */
export class KubernetesClusters {
  private readonly loaded = new Map<string, KubernetesCluster>();

  constructor(
    private readonly environments: Record<string, Pick<StagecraftConfig['environments'][string], 'kubernetes'> & Partial<StagecraftConfig['environments'][string]>>,
    private readonly stage: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Loads every environment's kubeconfig; returns the environments that have none. */
  check(): string[] {
    const missing: string[] = [];
    for (const [name, environment] of Object.entries(this.environments)) {
      if (environment.kubernetes === undefined) missing.push(name);
      else this.forEnv(name);
    }
    return missing;
  }

  forEnv(name: string): KubernetesCluster {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const settings = this.environments[name]?.kubernetes;
    if (settings === undefined) throw new KubernetesNotConfiguredError(name, this.stage);
    const kc = loadKubeConfig(settings, `environments.${name}.kubernetes`, this.env);
    const cluster = { namespace: settings.namespace, apps: kc.makeApiClient(AppsV1Api), batch: kc.makeApiClient(BatchV1Api), core: kc.makeApiClient(CoreV1Api), log: new Log(kc) };
    this.loaded.set(name, cluster);
    return cluster;
  }
}
