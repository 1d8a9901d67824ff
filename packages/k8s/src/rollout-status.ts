import type { V1Deployment } from '@kubernetes/client-node';

export type RolloutStatus = { state: 'done' | 'waiting' | 'failed'; message: string };

/**
 * Whether a Deployment's rollout is finished, as `kubectl rollout status` judges it: the
 * controller has observed the latest spec, every replica is updated, no old replica is left and
 * every updated one is available; a Progressing condition with reason ProgressDeadlineExceeded
 * means it failed.
 */
export function rolloutStatus(deployment: V1Deployment): RolloutStatus {
  const name = deployment.metadata?.name ?? '?';
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) return { state: 'waiting', message: `waiting for deployment "${name}" spec update to be observed` };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline${progressing.message ? ` (${progressing.message})` : ''}` };
  }
  const wanted = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < wanted) return { state: 'waiting', message: `waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated` };
  if (total > updated) return { state: 'waiting', message: `waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination` };
  if (available < updated) return { state: 'waiting', message: `waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available` };
  return { state: 'done', message: `deployment "${name}" successfully rolled out` };
}
