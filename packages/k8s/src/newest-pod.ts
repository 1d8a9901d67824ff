import type { V1Pod } from '@kubernetes/client-node';

/** The most recently created of a Job's pods (a retried Job has several). */
export function newestPod(pods: readonly V1Pod[]): V1Pod | undefined {
  return [...pods].sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime())[0];
}
