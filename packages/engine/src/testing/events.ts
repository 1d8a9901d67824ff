import { randomBytes } from 'node:crypto';
import type { NormalizedEvent } from '@stagecraft/queue';

let n = 0;
let lastArrival = 0;
const sha = () => randomBytes(20).toString('hex');
/** Arrival times as ingress stamps them, strictly increasing so events built in a row arrive in order. */
const arrival = () => (lastArrival = Math.max(Date.now(), lastArrival + 1));

export function pushEvent(overrides: Partial<Extract<NormalizedEvent, { kind: 'push' }>> = {}): NormalizedEvent {
  return {
    kind: 'push',
    id: `delivery-${Date.now()}-${++n}`,
    receivedAt: arrival(),
    repo: 'acme/app',
    installationId: null,
    ref: 'refs/heads/main',
    sha: sha(),
    before: sha(),
    author: 'alice',
    paths: ['services/api/src/server.ts'],
    pushedAt: null,
    ...overrides,
  };
}

export function pullRequestEvent(overrides: Partial<Extract<NormalizedEvent, { kind: 'pull_request' }>> = {}): NormalizedEvent {
  return {
    kind: 'pull_request',
    id: `delivery-${Date.now()}-${++n}`,
    receivedAt: arrival(),
    repo: 'acme/app',
    installationId: null,
    action: 'synchronize',
    pr: 7,
    sha: sha(),
    author: 'alice',
    baseRef: 'main',
    draft: false,
    merged: false,
    labels: [],
    label: null,
    updatedAt: null,
    ...overrides,
  };
}

export function commandEvent(overrides: Partial<Extract<NormalizedEvent, { kind: 'command' }>> = {}): NormalizedEvent {
  return {
    kind: 'command',
    id: `delivery-${Date.now()}-${++n}`,
    receivedAt: arrival(),
    repo: 'acme/app',
    installationId: null,
    command: 'deploy',
    by: 'maint',
    pr: null,
    isPullRequest: false,
    commentId: n,
    sha: null,
    ...overrides,
  };
}

/**
 * A checks event as ingress stores it: by default a `check_run` of `ci/build` on `sha`, now green.
 * `checks` lists what it reports (each at now unless given); a check suite reports none.
 */
export function checksEvent(
  sha: string,
  checks: Array<{ name: string; state: 'green' | 'pending' | 'failed'; type?: 'run' | 'status'; at?: number }> = [{ name: 'ci/build', state: 'green' }],
  overrides: Partial<Extract<NormalizedEvent, { kind: 'checks' }>> = {},
): NormalizedEvent {
  const receivedAt = arrival();
  return {
    kind: 'checks',
    id: `delivery-${Date.now()}-${++n}`,
    receivedAt,
    repo: 'acme/app',
    installationId: null,
    source: checks.some((c) => c.type === 'status') ? 'status' : 'check_run',
    sha,
    checks: checks.map((c) => ({ type: c.type ?? 'run', name: c.name, state: c.state, at: c.at ?? receivedAt })),
    ...overrides,
  };
}
