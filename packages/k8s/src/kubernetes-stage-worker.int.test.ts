import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pushEvent, startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { KubernetesBuildExecutor } from './kubernetes-build-executor.js';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { CYCLE_ANNOTATION, CYCLE_STARTED_AT_ANNOTATION, KubernetesDeployExecutor } from './kubernetes-deploy-executor.js';
import { FakeKubeServer, type FakeKubeServerOptions } from '@stagecraft/testing';
import { writeKubeconfig } from '@stagecraft/testing';

const NS = 'staging';
// The harness's components: api (services/api/**) and web (services/web/**).
const COMPONENTS = [
  { name: 'api', paths: ['services/api/**'], images: ['reg.local/api'], context: 'services/api', deployments: ['api'] },
  { name: 'web', paths: ['services/web/**'], images: ['reg.local/web'], context: 'services/web', deployments: ['web'] },
];

let dir: string;
let h: EngineHarness | undefined;
let server: FakeKubeServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-k8s-worker-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

/** Stage workers on real Redis whose build and deploy go to a Kubernetes API server through a kubeconfig. */
async function start(options: FakeKubeServerOptions) {
  server = await new FakeKubeServer(options).start();
  server.addDeployment(NS, 'api', { api: 'reg.local/api:previous' });
  server.addDeployment(NS, 'web', { web: 'reg.local/web:previous' });
  const kubeconfig = writeKubeconfig(dir, { server: server.url, token: server.token, file: `kubeconfig-${Date.now()}` });
  const clusters = new KubernetesClusters({ staging: { auto: true, approval: false, kubernetes: { kubeconfig, context: 'fake', namespace: NS, inCluster: false } } }, 'deploy');
  const cluster = (env: string) => clusters.forEnv(env);
  const build = new KubernetesBuildExecutor({
    target: (env) => ({ namespace: cluster(env).namespace, jobs: cluster(env).batch, pods: cluster(env).core }),
    components: COMPONENTS,
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'kaniko', image: 'kaniko', args: ['--destination={{image}}'] }] } } } },
    imageTag: '{sha}',
    ttlSecondsAfterFinished: 600,
    timeoutMs: 20_000,
    pollIntervalMs: 10,
    logTailLines: 20,
  });
  const deploy = new KubernetesDeployExecutor({
    target: (env) => ({ namespace: cluster(env).namespace, deployments: cluster(env).apps }),
    components: COMPONENTS,
    imageTag: '{sha}',
    timeoutMs: 20_000,
    rolloutTimeoutMs: 20_000,
    pollIntervalMs: 10,
  });
  h = await startEngineHarness({ executor: (stage) => (stage === 'build' ? build : stage === 'deploy' ? deploy : null) });
  return { server, h };
}

const finishedCycle = (harness: EngineHarness) =>
  harness.waitFor('a finished cycle', async () => (await harness.listCycles()).find((c) => c.state !== 'running'), 30_000);

describe('kubernetes build and deploy in a cycle run by the stage workers on Redis', () => {
  it('builds the changed component in a Job and rolls its Deployment out at the cycle SHA', async () => {
    const { server, h } = await start({ job: () => ({ outcome: 'complete', afterPolls: 2, log: 'pushed reg.local/api\n' }), rollout: () => ({ outcome: 'complete', afterPolls: 2 }) });
    const push = pushEvent({ paths: ['services/api/src/server.ts'] });
    await h.engine.handleEvent(push);
    const cycle = await finishedCycle(h);

    expect(cycle.state).toBe('succeeded');
    const sha = cycle.stagingSha ?? cycle.mainSha;
    expect(sha).toBe(push.kind === 'push' ? push.sha : null);
    const stages = Object.fromEntries(cycle.stages.map((s) => [s.stage, s]));
    expect(stages['build']).toMatchObject({ status: 'succeeded', details: { namespace: NS, tag: sha, jobs: [{ component: 'api', status: 'succeeded', logTail: ['pushed reg.local/api'] }] } });
    expect(stages['deploy']).toMatchObject({ status: 'succeeded', details: { tag: sha, rollout: 'done', deployments: [{ name: 'api', changes: [{ container: 'api', to: `reg.local/api:${sha}` }] }] } });
    expect(server.images(NS, 'api')).toEqual({ api: `reg.local/api:${sha}` });
    expect(server.images(NS, 'web')).toEqual({ web: 'reg.local/web:previous' });
    expect(server.deployment(NS, 'api').metadata.annotations).toMatchObject({ [CYCLE_ANNOTATION]: cycle.id, [CYCLE_STARTED_AT_ANNOTATION]: String(cycle.startedAt) });
    expect(server.callsTo('POST', '/jobs').map((c) => c.body.spec.template.spec.containers[0].args)).toEqual([[`--destination=reg.local/api:${sha}`]]);
    expect(server.jobNames(NS)).toEqual([]);
  });

  it('fails the cycle with the rollback in its deploy result when the rollout exceeds its deadline', async () => {
    const { server, h } = await start({
      rollout: (d) => (d.spec.template.spec.containers[0].image.endsWith(':previous') ? { outcome: 'complete', afterPolls: 1 } : { outcome: 'deadline', afterPolls: 2 }),
    });
    await h.engine.handleEvent(pushEvent({ paths: ['services/api/src/server.ts'] }));
    const cycle = await finishedCycle(h);

    expect(cycle.state).toBe('failed');
    const deploy = cycle.stages.find((s) => s.stage === 'deploy');
    expect(deploy).toMatchObject({ status: 'failed', details: { rollout: 'failed', rolledBack: { rollout: 'done', deployments: [{ name: 'api', images: [{ container: 'api', image: 'reg.local/api:previous' }] }] } } });
    expect(deploy?.summary).toMatch(/^rollout failed: deployment "api" exceeded its progress deadline .*; rolled back api to their previous images$/);
    expect(server.images(NS, 'api')).toEqual({ api: 'reg.local/api:previous' });
  });
});
