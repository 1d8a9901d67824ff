import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StageContext } from '@stagecraft/executors';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { CYCLE_ANNOTATION, CYCLE_STARTED_AT_ANNOTATION, KubernetesDeployExecutor } from './kubernetes-deploy-executor.js';
import { FakeKubeServer, type FakeKubeServerOptions } from '@stagecraft/testing';
import { writeKubeconfig } from '@stagecraft/testing';

const SHA = 'a'.repeat(40);
const NS = 'apps';
const COMPONENTS = [
  { name: 'api', images: ['reg.local:5000/team/api'], deployments: ['api', 'api-worker'] },
  { name: 'web', images: ['reg.local:5000/team/web'], deployments: ['web'] },
];

let dir: string;
let server: FakeKubeServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-k8s-deploy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ctx = (overrides: Partial<StageContext> = {}): StageContext => ({
  cycleId: 'staging-5',
  env: 'staging',
  stage: 'deploy',
  kind: 'partial',
  sha: SHA,
  mainSha: SHA,
  components: ['api', 'web'],
  rebuild: ['api'],
  prs: [],
  repos: [{ repo: 'acme/app', sha: SHA, mainSha: SHA }],
  attempt: 1,
  ...overrides,
});

/** A fake cluster with api (app + proxy sidecar), api-worker and web, and an executor pointed at it through a kubeconfig. */
async function setUp(options: FakeKubeServerOptions = {}, settings: { rolloutTimeoutMs?: number; timeoutMs?: number } = {}) {
  server = await new FakeKubeServer(options).start();
  server.addDeployment(NS, 'api', { app: 'reg.local:5000/team/api:old', proxy: 'envoyproxy/envoy:v1.30' });
  server.addDeployment(NS, 'api-worker', { worker: 'reg.local:5000/team/api:old' });
  server.addDeployment(NS, 'web', { web: 'reg.local:5000/team/web:old' });
  const kubeconfig = writeKubeconfig(dir, { server: server.url, token: server.token, file: `kubeconfig-${Date.now()}` });
  const clusters = new KubernetesClusters({ staging: { auto: true, approval: false, kubernetes: { kubeconfig, context: 'fake', namespace: NS, inCluster: false } } }, 'deploy');
  const executor = new KubernetesDeployExecutor({
    target: (env) => {
      const cluster = clusters.forEnv(env);
      return { namespace: cluster.namespace, deployments: cluster.apps };
    },
    components: COMPONENTS,
    imageTag: '{sha}',
    timeoutMs: settings.timeoutMs ?? 20_000,
    rolloutTimeoutMs: settings.rolloutTimeoutMs ?? 20_000,
    pollIntervalMs: 5,
  });
  return { server, executor };
}

const run = (executor: KubernetesDeployExecutor, context: StageContext = ctx(), signal: AbortSignal = new AbortController().signal) => {
  const lines: string[] = [];
  return executor.run(context, { signal, log: (line) => lines.push(line) }).then((outcome) => ({ outcome, lines }));
};

describe('KubernetesDeployExecutor against a Kubernetes API server', () => {
  it('sets the rebuilt component images, restarts the others and waits until every rollout completes', async () => {
    const { server, executor } = await setUp({ rollout: () => ({ outcome: 'complete', afterPolls: 3 }) });
    const { outcome, lines } = await run(executor);

    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toMatch(/^rolled out api, api-worker, web at aaaaaaaaaaaa in /);
    expect(server.images(NS, 'api')).toEqual({ app: `reg.local:5000/team/api:${SHA}`, proxy: 'envoyproxy/envoy:v1.30' });
    expect(server.images(NS, 'api-worker')).toEqual({ worker: `reg.local:5000/team/api:${SHA}` });
    expect(server.images(NS, 'web')).toEqual({ web: 'reg.local:5000/team/web:old' });
    for (const name of ['api', 'api-worker', 'web']) {
      const deployment = server.deployment(NS, name);
      expect(deployment.metadata.annotations[CYCLE_ANNOTATION]).toBe('staging-5');
      // The pod template changed for web too: not rebuilt, it still redeploys.
      expect(deployment.spec.template.metadata.annotations[CYCLE_ANNOTATION]).toBe('staging-5');
      expect(deployment.status.updatedReplicas).toBe(deployment.spec.replicas);
    }
    const patches = server.callsTo('PATCH', '/deployments/');
    expect(patches.map((c) => c.contentType)).toEqual(Array(3).fill('application/strategic-merge-patch+json'));
    expect(patches[0]!.body.spec.template.spec).toEqual({ containers: [{ name: 'app', image: `reg.local:5000/team/api:${SHA}` }] });
    expect(outcome.details).toMatchObject({
      namespace: NS,
      tag: SHA,
      rollout: 'done',
      deployments: [
        { name: 'api', components: ['api'], changes: [{ container: 'app', from: 'reg.local:5000/team/api:old', to: `reg.local:5000/team/api:${SHA}` }] },
        { name: 'api-worker', components: ['api'], changes: [{ container: 'worker', from: 'reg.local:5000/team/api:old', to: `reg.local:5000/team/api:${SHA}` }] },
        { name: 'web', components: ['web'], changes: [] },
      ],
    });
    expect(lines).toContain('deployment "api" successfully rolled out');
    expect(lines.some((l) => l.startsWith('waiting for deployment "api" rollout to finish: 1 out of 2 new replicas have been updated'))).toBe(true);
  });

  it('deploys a release with the exact image references it recorded, not a tag rendered from the SHA', async () => {
    const { server, executor } = await setUp({ rollout: () => ({ outcome: 'complete', afterPolls: 1 }) });
    const release = { id: 'staging-4', images: { api: ['reg.local:5000/team/api:staging-tag@sha256:' + 'b'.repeat(64)], web: ['reg.local:5000/team/web:web-tag'] } };
    const { outcome } = await run(executor, ctx({ env: 'staging', cycleId: 'production-1', rebuild: [], release }));

    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toMatch(/^rolled out api, api-worker, web at release staging-4 in /);
    expect(server.images(NS, 'api')).toEqual({ app: release.images.api[0], proxy: 'envoyproxy/envoy:v1.30' });
    expect(server.images(NS, 'api-worker')).toEqual({ worker: release.images.api[0] });
    expect(server.images(NS, 'web')).toEqual({ web: 'reg.local:5000/team/web:web-tag' });
    expect(outcome.details?.['images']).toEqual(release.images);
  });

  it('reports the images each component runs after a deploy (what a release records)', async () => {
    const { executor } = await setUp({ rollout: () => ({ outcome: 'complete', afterPolls: 1 }) });
    const { outcome } = await run(executor);
    expect(outcome.details?.['images']).toEqual({ api: [`reg.local:5000/team/api:${SHA}`], web: ['reg.local:5000/team/web:old'] });
  });

  it('rolls every Deployment back to its previous images when one exceeds its progress deadline', async () => {
    const { server, executor } = await setUp({
      rollout: (d) => (d.metadata.name === 'api-worker' && d.spec.template.spec.containers[0].image.endsWith(SHA) ? { outcome: 'deadline', afterPolls: 2 } : { outcome: 'complete', afterPolls: 1 }),
    });
    const { outcome } = await run(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toMatch(/^rollout failed: deployment "api-worker" exceeded its progress deadline .*; rolled back api, api-worker, web to their previous images$/);
    expect(server.images(NS, 'api')).toEqual({ app: 'reg.local:5000/team/api:old', proxy: 'envoyproxy/envoy:v1.30' });
    expect(server.images(NS, 'api-worker')).toEqual({ worker: 'reg.local:5000/team/api:old' });
    const patches = server.callsTo('PATCH', '/deployments/').map((c) => ({ name: c.path.split('/').pop(), template: c.body.spec.template }));
    expect(patches).toEqual([
      { name: 'api', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: 'staging-5' } }, spec: { containers: [{ name: 'app', image: `reg.local:5000/team/api:${SHA}` }] } } },
      { name: 'api-worker', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: 'staging-5' } }, spec: { containers: [{ name: 'worker', image: `reg.local:5000/team/api:${SHA}` }] } } },
      { name: 'web', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: 'staging-5' } }, spec: {} } },
      // The rollback: previous images, and the pod template annotation removed (as it was).
      { name: 'api', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: null } }, spec: { containers: [{ name: 'app', image: 'reg.local:5000/team/api:old' }] } } },
      { name: 'api-worker', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: null } }, spec: { containers: [{ name: 'worker', image: 'reg.local:5000/team/api:old' }] } } },
      { name: 'web', template: { metadata: { annotations: { [CYCLE_ANNOTATION]: null } }, spec: {} } },
    ]);
    expect(server.deployment(NS, 'web').spec.template.metadata.annotations ?? {}).toEqual({});
    expect(outcome.details).toMatchObject({
      rollout: 'failed',
      rolledBack: {
        rollout: 'done',
        deployments: [
          { name: 'api', images: [{ container: 'app', image: 'reg.local:5000/team/api:old' }] },
          { name: 'api-worker', images: [{ container: 'worker', image: 'reg.local:5000/team/api:old' }] },
          { name: 'web', images: [] },
        ],
      },
    });
  });

  it('rolls back when a rollout does not finish within rolloutTimeout', async () => {
    const { server, executor } = await setUp(
      { rollout: (d) => (d.metadata.name === 'web' && d.spec.template.metadata.annotations?.[CYCLE_ANNOTATION] ? { outcome: 'hang', afterPolls: 0 } : { outcome: 'complete', afterPolls: 1 }) },
      { rolloutTimeoutMs: 300 },
    );
    const { outcome } = await run(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toMatch(/^rollout did not finish within 300ms: waiting for deployment "web" rollout to finish: .*; rolled back api, api-worker, web to their previous images$/);
    expect(server.images(NS, 'api')['app']).toBe('reg.local:5000/team/api:old');
  });

  it('refuses a stale job: a Deployment a newer cycle deployed is left alone', async () => {
    const { server, executor } = await setUp();
    server.annotate(NS, 'web', { [CYCLE_ANNOTATION]: 'staging-12' });
    const { outcome } = await run(executor, ctx({ cycleId: 'staging-11' }));

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe(
      'refused to deploy: Deployment "web" in apps was already deployed by a newer cycle (staging-12) than this one (staging-11); this is a stale or replayed job, and deploying it would roll back newer images',
    );
    expect(server.callsTo('PATCH', '/deployments/')).toEqual([]);
    expect(server.images(NS, 'api')['app']).toBe('reg.local:5000/team/api:old');
  });

  it('refuses a stale job by start time when both cycles have one, whatever their numbers', async () => {
    const { server, executor } = await setUp();
    // Numbering started again after the stale job's cycle: staging-3 is the newer one.
    server.annotate(NS, 'api', { [CYCLE_ANNOTATION]: 'staging-3', [CYCLE_STARTED_AT_ANNOTATION]: '2000' });
    const { outcome } = await run(executor, ctx({ cycleId: 'staging-11', cycleStartedAt: 1000 }));

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toMatch(/^refused to deploy: Deployment "api" in apps was already deployed by a newer cycle \(staging-3\) than this one \(staging-11\)/);
    expect(server.callsTo('PATCH', '/deployments/')).toEqual([]);
  });

  it.each<[string, Record<string, string>, Partial<StageContext>]>([
    ['an older cycle of the same environment (by number, not text)', { [CYCLE_ANNOTATION]: 'staging-9' }, { cycleId: 'staging-10' }],
    ['the same cycle (a retried job)', { [CYCLE_ANNOTATION]: 'staging-10' }, { cycleId: 'staging-10' }],
    [
      'a higher-numbered cycle that started earlier (the numbering started again)',
      { [CYCLE_ANNOTATION]: 'staging-57', [CYCLE_STARTED_AT_ANNOTATION]: '1000' },
      { cycleId: 'staging-10', cycleStartedAt: 2000 },
    ],
  ])('deploys over %s', async (_name, before, overrides) => {
    const { server, executor } = await setUp();
    for (const name of ['api', 'api-worker', 'web']) server.annotate(NS, name, before);
    const { outcome } = await run(executor, ctx(overrides));

    expect(outcome.status).toBe('succeeded');
    const annotations = server.deployment(NS, 'api').metadata.annotations;
    expect(annotations[CYCLE_ANNOTATION]).toBe(overrides.cycleId);
    expect(annotations[CYCLE_STARTED_AT_ANNOTATION]).toBe(overrides.cycleStartedAt === undefined ? undefined : String(overrides.cycleStartedAt));
  });

  it('reads a Deployment again when someone changed it between read and patch (409 Conflict)', async () => {
    let interfered = false;
    const { server, executor } = await setUp({
      onRequest: (call, fake) => {
        if (call.method === 'PATCH' && call.path.endsWith('/deployments/api') && !interfered) {
          interfered = true;
          fake.annotate(NS, 'api', { 'example.com/touched-by': 'kubectl' });
        }
      },
    });
    const { outcome, lines } = await run(executor);

    expect(outcome.status).toBe('succeeded');
    expect(server.callsTo('PATCH', '/deployments/').filter((c) => c.path.endsWith('/api')).map((c) => c.status)).toEqual([409, 200]);
    expect(lines.some((l) => l.startsWith('Deployment api changed while being deployed (409 Conflict: Operation cannot be fulfilled'))).toBe(true);
    expect(server.deployment(NS, 'api').metadata.annotations['example.com/touched-by']).toBe('kubectl');
    expect(server.images(NS, 'api')['app']).toBe(`reg.local:5000/team/api:${SHA}`);
  });

  it('stops waiting when the cycle is cancelled, leaving the new images for the next cycle', async () => {
    const cancel = new AbortController();
    const { server, executor } = await setUp({
      rollout: () => ({ outcome: 'hang', afterPolls: 0 }),
      onRequest: (call) => {
        // Cancel once the rollout is being watched: the first read after the last patch.
        if (call.method === 'GET' && server!.callsTo('PATCH', '/deployments/').length === 3) cancel.abort();
      },
    });
    const { outcome } = await run(executor, ctx(), cancel.signal);

    expect(outcome.status).toBe('cancelled');
    expect(outcome.summary).toBe(
      'deploy cancelled while waiting for the rollout of api, api-worker, web; the Deployments keep the new images (the next cycle deploys over them)',
    );
    expect(server.callsTo('PATCH', '/deployments/')).toHaveLength(3);
    expect(server.images(NS, 'api')['app']).toBe(`reg.local:5000/team/api:${SHA}`);
  });

  it.each<[string, (server: FakeKubeServer) => void, Partial<StageContext>, string]>([
    [
      'a component the config does not have',
      () => undefined,
      { components: ['api', 'web', 'docs'] },
      "component(s) docs of this cycle are not in the config's components: add them, or restart the scheduler with the config it ran with",
    ],
    [
      'a Deployment that does not exist',
      (s) => s.addDeployment(NS, 'other', {}),
      { components: ['web'], rebuild: [] },
      'Deployment "web" not found in namespace apps: create it, or fix components[].deployments (or the environment\'s namespace)',
    ],
    [
      'a Deployment running none of the component images',
      (s) => s.addDeployment(NS, 'web', { web: 'reg.local:5000/team/website:1' }),
      { components: ['web'], rebuild: ['web'] },
      'Deployment "web" runs none of component web\'s images (reg.local:5000/team/web); its containers: web=reg.local:5000/team/website:1: fix components[].images or components[].deployments',
    ],
  ])('fails without patching anything on %s', async (_name, arrange, overrides, summary) => {
    server = await new FakeKubeServer().start();
    const kubeconfig = writeKubeconfig(dir, { server: server.url, token: server.token });
    arrange(server);
    const clusters = new KubernetesClusters({ staging: { auto: true, approval: false, kubernetes: { kubeconfig, context: 'fake', namespace: NS, inCluster: false } } }, 'deploy');
    const executor = new KubernetesDeployExecutor({
      target: (env) => ({ namespace: NS, deployments: clusters.forEnv(env).apps }),
      components: COMPONENTS,
      imageTag: '{sha}',
      timeoutMs: 10_000,
      rolloutTimeoutMs: 10_000,
      pollIntervalMs: 5,
    });
    const { outcome } = await run(executor, ctx(overrides));
    expect(outcome).toMatchObject({ status: 'failed', summary });
    expect(server.callsTo('PATCH', '/')).toEqual([]);
  });

  it('fails for an environment without kubernetes settings', async () => {
    const clusters = new KubernetesClusters({ staging: { auto: true, approval: false } }, 'deploy');
    const executor = new KubernetesDeployExecutor({
      target: (env) => ({ namespace: NS, deployments: clusters.forEnv(env).apps }),
      components: COMPONENTS,
      imageTag: '{sha}',
      timeoutMs: 1000,
      rolloutTimeoutMs: 1000,
      pollIntervalMs: 5,
    });
    const { outcome } = await run(executor);
    expect(outcome).toMatchObject({
      status: 'failed',
      summary:
        'stages.deploy uses the kubernetes executor, but environments.staging.kubernetes is not set: give it at least a namespace (and kubeconfig/context, or inCluster: true)',
    });
  });
});
