import { describe, expect, it } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import { rolloutStatus } from './rollout-status.js';

const deployment = (generation: number, spec: number, status: V1Deployment['status']): V1Deployment => ({
  metadata: { name: 'api', generation },
  spec: { replicas: spec, selector: {}, template: {} },
  status,
});
const deadline = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-2" has timed out progressing.' };

describe('rolloutStatus (as kubectl rollout status judges)', () => {
  it.each<[string, V1Deployment, ReturnType<typeof rolloutStatus>]>([
    ['a spec change not yet observed', deployment(3, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), { state: 'waiting', message: 'waiting for deployment "api" spec update to be observed' }],
    [
      'new replicas still being updated',
      deployment(3, 3, { observedGeneration: 3, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      { state: 'waiting', message: 'waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated' },
    ],
    [
      'old replicas still terminating',
      deployment(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
      { state: 'waiting', message: 'waiting for deployment "api" rollout to finish: 1 old replicas are pending termination' },
    ],
    [
      'updated replicas not yet available',
      deployment(3, 2, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
      { state: 'waiting', message: 'waiting for deployment "api" rollout to finish: 1 of 2 updated replicas are available' },
    ],
    ['a finished rollout', deployment(3, 2, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), { state: 'done', message: 'deployment "api" successfully rolled out' }],
    ['a Deployment scaled to zero', deployment(2, 0, { observedGeneration: 2 }), { state: 'done', message: 'deployment "api" successfully rolled out' }],
    [
      'an exceeded progress deadline',
      deployment(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2, conditions: [deadline] }),
      { state: 'failed', message: 'deployment "api" exceeded its progress deadline (ReplicaSet "api-2" has timed out progressing.)' },
    ],
    [
      'an exceeded deadline of an older generation, not yet observed',
      deployment(4, 2, { observedGeneration: 3, conditions: [deadline] }),
      { state: 'waiting', message: 'waiting for deployment "api" spec update to be observed' },
    ],
  ])('%s', (_name, d, expected) => {
    expect(rolloutStatus(d)).toEqual(expected);
  });
});
