import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StageContext } from '@stagecraft/executors';
import { KubernetesBuildExecutor } from './kubernetes-build-executor.js';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { FakeKubeServer, type FakeKubeServerOptions } from '@stagecraft/testing';
import { writeKubeconfig } from '@stagecraft/testing';

const SHA = 'b'.repeat(40);
const NS = 'builds';
const COMPONENTS = [
  { name: 'api', images: ['reg.local:5000/team/api'], context: 'services/api' },
  { name: 'web', images: ['reg.local:5000/team/web', 'reg.local:5000/team/web-static'], context: 'services/web' },
];
/** A kaniko Job as a team would write it, with a sidecar so the log must name its container. */
const TEMPLATE = {
  metadata: { generateName: 'ignored-', labels: { team: 'platform' } },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'kaniko',
            image: 'gcr.io/kaniko-project/executor:v1.23.2',
            args: ['--context=git://example.com/acme/app.git#{{sha}}', '--context-sub-path={{context}}', '--destination={{image}}', '--build-arg=CYCLE={{cycleId}}'],
          },
          { name: 'sidecar', image: 'busybox', args: ['sleep', '1'] },
        ],
      },
    },
  },
};

let dir: string;
let server: FakeKubeServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-k8s-build-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ctx = (overrides: Partial<StageContext> = {}): StageContext => ({
  cycleId: 'staging-7',
  env: 'staging',
  stage: 'build',
  kind: 'partial',
  sha: SHA,
  mainSha: SHA,
  components: ['api', 'web'],
  rebuild: ['api'],
  prs: [],
  repos: [{ repo: 'acme/app', sha: SHA, mainSha: SHA }],
  attempt: 2,
  ...overrides,
});

async function setUp(options: FakeKubeServerOptions = {}, settings: { timeoutMs?: number; logTailLines?: number } = {}) {
  server = await new FakeKubeServer(options).start();
  const kubeconfig = writeKubeconfig(dir, { server: server.url, token: server.token, file: `kubeconfig-${Date.now()}` });
  const clusters = new KubernetesClusters({ staging: { auto: true, approval: false, kubernetes: { kubeconfig, context: 'fake', namespace: NS, inCluster: false } } }, 'build');
  const executor = new KubernetesBuildExecutor({
    target: (env) => {
      const cluster = clusters.forEnv(env);
      return { namespace: cluster.namespace, jobs: cluster.batch, pods: cluster.core, logs: cluster.log };
    },
    components: COMPONENTS,
    jobTemplate: TEMPLATE,
    imageTag: '{sha}',
    ttlSecondsAfterFinished: 900,
    timeoutMs: settings.timeoutMs ?? 20_000,
    pollIntervalMs: 5,
    logTailLines: settings.logTailLines ?? 3,
  });
  return { server, executor };
}

const run = (executor: KubernetesBuildExecutor, context: StageContext = ctx(), signal: AbortSignal = new AbortController().signal) => {
  const lines: string[] = [];
  return executor.run(context, { signal, log: (line) => lines.push(line) }).then((outcome) => ({ outcome, lines }));
};

describe('KubernetesBuildExecutor against a Kubernetes API server', () => {
  it('runs a Job per component from the template, logs its pod and deletes it after', async () => {
    const { server, executor } = await setUp({
      job: (job) => ({ outcome: 'complete', afterPolls: 3, log: `building ${job.metadata.labels['stagecraft.dev/component']}\npushed\n` }),
    });
    const { outcome, lines } = await run(executor, ctx({ rebuild: ['api', 'web'] }));

    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toMatch(/^built api, web at bbbbbbbbbbbb in /);
    const created = server.callsTo('POST', '/jobs').map((c) => c.body);
    expect(created.map((job) => job.metadata.name)).toEqual(['stagecraft-build-api-staging-7-2', 'stagecraft-build-web-staging-7-2']);
    const api = created[0];
    expect(api.metadata).toEqual({
      name: 'stagecraft-build-api-staging-7-2',
      namespace: NS,
      labels: { team: 'platform', 'app.kubernetes.io/managed-by': 'stagecraft', 'stagecraft.dev/cycle': 'staging-7', 'stagecraft.dev/component': 'api' },
    });
    expect(api.spec).toMatchObject({ ttlSecondsAfterFinished: 900, backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } });
    expect(api.spec.template.spec.containers[0].args).toEqual([
      `--context=git://example.com/acme/app.git#${SHA}`,
      '--context-sub-path=services/api',
      `--destination=reg.local:5000/team/api:${SHA}`,
      '--build-arg=CYCLE=staging-7',
    ]);
    // Each pod's log was followed while its Job ran, and the stream, ending with the Job, held all of it.
    expect(server.callsTo('GET', '/log').map((c) => [c.query['container'], c.query['follow']])).toEqual([
      ['kaniko', 'true'],
      ['kaniko', 'true'],
    ]);
    expect(lines).toEqual(expect.arrayContaining(['[api] building api', '[api] pushed', '[web] building web']));
    // The two Jobs run in parallel, so they finish (and go) in either order.
    expect(server.callsTo('DELETE', '/jobs/').map((c) => [c.path.split('/').pop(), c.query['propagationPolicy']]).sort()).toEqual([
      ['stagecraft-build-api-staging-7-2', 'Background'],
      ['stagecraft-build-web-staging-7-2', 'Background'],
    ]);
    expect(server.jobNames(NS)).toEqual([]);
    expect(outcome.details).toMatchObject({
      namespace: NS,
      tag: SHA,
      jobs: [
        { component: 'api', job: 'stagecraft-build-api-staging-7-2', images: [`reg.local:5000/team/api:${SHA}`], status: 'succeeded', reason: null },
        { component: 'web', images: [`reg.local:5000/team/web:${SHA}`, `reg.local:5000/team/web-static:${SHA}`], status: 'succeeded' },
      ],
    });
  });

  it('streams the pod log into the stage log while the Job runs', async () => {
    const name = 'stagecraft-build-api-staging-7-2';
    const logged: Array<{ line: string; jobActive: boolean }> = [];
    const { server, executor } = await setUp(
      {
        // The Job finishes only once its first line has reached the stage log.
        job: () => ({ outcome: 'complete', afterPolls: 1, log: 'step 1/3 FROM node:20\nstep 2/3 RUN pnpm build\nstep 3/3 pushed\n', until: () => logged.some((l) => l.line === '[api] step 1/3 FROM node:20') }),
      },
      { timeoutMs: 10_000, logTailLines: 20 },
    );
    const outcome = await executor.run(ctx(), {
      signal: new AbortController().signal,
      log: (line) => logged.push({ line, jobActive: server.job(NS, name)?.status?.active === 1 }),
    });

    expect(outcome.status).toBe('succeeded');
    expect(logged.map((l) => l.line)).toEqual([
      `[api] created Job ${name} in ${NS} for reg.local:5000/team/api:${SHA}`,
      '[api] step 1/3 FROM node:20',
      '[api] step 2/3 RUN pnpm build',
      '[api] step 3/3 pushed',
      `[api] Job ${name} complete`,
    ]);
    expect(logged[1]).toEqual({ line: '[api] step 1/3 FROM node:20', jobActive: true });
    expect(outcome.outputTail).toEqual(logged.map((l) => l.line));
    expect(outcome.details).toMatchObject({ jobs: [{ logTail: ['step 1/3 FROM node:20', 'step 2/3 RUN pnpm build', 'step 3/3 pushed'] }] });
    // The stream ended with the Job and held every line: the log was not read again.
    expect(server.callsTo('GET', '/log').map((c) => c.query['follow'])).toEqual(['true']);
    expect(server.followStreams.map((s) => s.how)).toEqual(['complete']);
  });

  it('stops following the log and deletes the Job when the cycle is cancelled while the log streams', async () => {
    const cancel = new AbortController();
    const log = Array.from({ length: 200 }, (_, i) => `layer ${i}`).join('\n');
    const { server, executor } = await setUp({ job: () => ({ outcome: 'hang', afterPolls: 0, log }) });
    const lines: string[] = [];
    const outcome = await executor.run(ctx(), {
      signal: cancel.signal,
      log: (line) => {
        lines.push(line);
        if (line === '[api] layer 2') cancel.abort();
      },
    });

    expect(outcome.status).toBe('cancelled');
    expect(lines.filter((line) => line.startsWith('[api] layer'))).toEqual(['[api] layer 0', '[api] layer 1', '[api] layer 2']);
    const [stream] = server.followStreams;
    expect(await stream!.ended).toBe('client');
    expect(stream!.lines).toBeLessThan(200);
    expect(server.callsTo('GET', '/log').map((c) => c.query['follow'])).toEqual(['true']);
    expect(server.callsTo('DELETE', '/jobs/stagecraft-build-api-staging-7-2').map((c) => c.query['propagationPolicy'])).toEqual(['Background']);
    expect(server.jobNames(NS)).toEqual([]);
  });

  it('reads the rest of the log, each line once, when its stream breaks while the Job runs', async () => {
    const podLines = ['line 1 clone', 'line 2 install', 'line 3 compile', 'line 4 test', 'line 5 push', 'line 6 done'];
    const { server, executor } = await setUp(
      {
        // Cut after two lines and half the third; the Job finishes after that.
        job: () => ({ outcome: 'complete', afterPolls: 1, log: `${podLines.join('\n')}\n`, breakFollowAfter: 2, until: () => server!.followStreams.some((s) => s.how === 'broken') }),
      },
      { timeoutMs: 10_000, logTailLines: 20 },
    );
    const { outcome, lines } = await run(executor);

    expect(outcome.status).toBe('succeeded');
    const fromPod = (all: readonly string[]) => all.filter((line) => line.startsWith('[api] line '));
    expect(fromPod(lines)).toEqual(podLines.map((line) => `[api] ${line}`));
    expect(fromPod(outcome.outputTail)).toEqual(podLines.map((line) => `[api] ${line}`));
    expect(outcome.details).toMatchObject({ jobs: [{ logTail: podLines }] });
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^\[api\] the log stream of Job stagecraft-build-api-staging-7-2 broke \(.+\): reading the rest of its log$/)]));
    expect(server.callsTo('GET', '/log').map((c) => c.query['follow'])).toEqual(['true', undefined]);
    expect(server.followStreams.map((s) => [s.how, s.lines])).toEqual([['broken', 2]]);
  });

  it('fails with the failed Job reason and the end of its log in the stage result', async () => {
    const log = ['step 1/4 FROM node:20', 'step 2/4 COPY . .', 'step 3/4 RUN pnpm build', 'src/server.ts(3,1): error TS2304', 'error building image: exit code 2'].join('\n');
    const { server, executor } = await setUp({ job: () => ({ outcome: 'fail', afterPolls: 2, log }) });
    const { outcome } = await run(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('build failed: api (BackoffLimitExceeded: Job has reached the specified backoff limit)');
    expect(outcome.outputTail).toEqual(['[api] step 3/4 RUN pnpm build', '[api] src/server.ts(3,1): error TS2304', '[api] error building image: exit code 2']);
    expect(outcome.details).toMatchObject({
      jobs: [{ component: 'api', status: 'failed', reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit', logTail: ['step 3/4 RUN pnpm build', 'src/server.ts(3,1): error TS2304', 'error building image: exit code 2'] }],
    });
    expect(server.jobNames(NS)).toEqual([]);
  });

  it('deletes the Job, with its pods, when the cycle is cancelled during the build', async () => {
    const cancel = new AbortController();
    const { server, executor } = await setUp({
      job: () => ({ outcome: 'hang', afterPolls: 0, log: 'still building\n' }),
      onRequest: (call) => {
        if (call.method === 'GET' && call.path.endsWith('/jobs/stagecraft-build-api-staging-7-2') && server!.callsTo('GET', '/jobs/').length >= 2) cancel.abort();
      },
    });
    const { outcome } = await run(executor, ctx(), cancel.signal);

    expect(outcome.status).toBe('cancelled');
    expect(outcome.summary).toBe('build cancelled: deleted the Jobs of api');
    expect(server.callsTo('DELETE', '/jobs/stagecraft-build-api-staging-7-2').map((c) => c.query['propagationPolicy'])).toEqual(['Background']);
    expect(server.jobNames(NS)).toEqual([]);
    expect(server.deletedPods.map((p) => p.metadata.labels['job-name'])).toEqual(['stagecraft-build-api-staging-7-2']);
  });

  it('fails, deleting the Job, when the build outlasts the stage timeout', async () => {
    const { server, executor } = await setUp({ job: () => ({ outcome: 'hang', afterPolls: 0, log: 'stuck on layer 3\n' }) }, { timeoutMs: 200 });
    const { outcome } = await run(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('build timed out after 200ms: api still running (Jobs deleted)');
    expect(outcome.outputTail).toContain('[api] stuck on layer 3');
    expect(server.jobNames(NS)).toEqual([]);
  });

  it('fails on a Job the API server refuses, leaving the Job it found alone', async () => {
    const { server, executor } = await setUp();
    const name = 'stagecraft-build-api-staging-7-2';
    const created = await fetch(`${server.url}/apis/batch/v1/namespaces/${NS}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: { spec: { containers: [{ name: 'x', image: 'x' }] } } } }),
    });
    expect(created.status).toBe(201);
    const { outcome } = await run(executor);

    expect(outcome).toMatchObject({ status: 'failed', summary: `build failed: api (could not create Job ${name} in ${NS}: 409 AlreadyExists: jobs.batch "${name}" already exists)` });
    expect(server.callsTo('DELETE', '/jobs/')).toEqual([]);
    expect(server.jobNames(NS)).toEqual([name]);
  });
});
