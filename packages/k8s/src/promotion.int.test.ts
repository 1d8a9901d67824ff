import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StageExecutor } from '@stagecraft/executors';
import { zonedMinuteOfWeek } from '@stagecraft/policy';
import { FakeKubeServer, pushEvent, startEngineHarness, writeKubeconfig, type EngineHarness } from '@stagecraft/testing';
import { KubernetesBuildExecutor } from './kubernetes-build-executor.js';
import { KubernetesClusters } from './kubernetes-clusters.js';
import { KubernetesDeployExecutor } from './kubernetes-deploy-executor.js';

/**
 * Releases and promotion end to end on the engine: real Redis, real stage workers, the real
 * kubernetes build and deploy executors against a local Kubernetes API server.
 */
const API = 'reg.local:5000/team/api';
const COMPONENTS = [{ name: 'api', images: [API], context: 'services/api', deployments: ['api'], paths: ['services/api/**'], configPaths: [] }];
const TEMPLATE = { spec: { template: { spec: { containers: [{ name: 'kaniko', image: 'kaniko', args: ['--destination={{image}}'] }] } } } };
const NAMESPACES: Record<string, string> = { staging: 'stg', production: 'prod', 'production-eu': 'prod-eu' };
const DAY = 24 * 60;

/** A deny window holding from an hour ago to two hours from now (UTC), whatever day the test runs. */
function windowAroundNow() {
  const fmt = (minute: number) => {
    const m = ((minute % (7 * DAY)) + 7 * DAY) % (7 * DAY);
    const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][Math.floor(m / DAY)]!;
    return `${day} ${String(Math.floor((m % DAY) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  const now = zonedMinuteOfWeek(Date.now(), 'UTC');
  return { from: fmt(now - 60), to: fmt(now + 120), timeZone: 'UTC' };
}

const promotionEnv = (overrides: { approvals?: number; denyWindows?: Array<{ from: string; to: string; timeZone: string }> } = {}) => ({
  approval: true,
  from: 'staging',
  requires: 'full' as const,
  approvals: 2,
  noSelfApproval: true,
  requestTtl: 60_000,
  denyWindows: [] as Array<{ from: string; to: string; timeZone: string }>,
  keepReleases: 50,
  ...overrides,
});

let dir: string;
let kube: FakeKubeServer;
let h: EngineHarness;
let failTests = false;
let stagingSha = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-promotion-'));
  kube = await new FakeKubeServer({ rollout: () => ({ outcome: 'complete', afterPolls: 1 }) }).start();
  for (const ns of Object.values(NAMESPACES)) kube.addDeployment(ns, 'api', { app: `${API}:old` });
  const kubeconfig = writeKubeconfig(dir, { server: kube.url, token: kube.token });
  const clusters = (stage: 'build' | 'deploy') =>
    new KubernetesClusters(Object.fromEntries(Object.entries(NAMESPACES).map(([env, namespace]) => [env, { kubernetes: { kubeconfig, context: 'fake', namespace, inCluster: false } }])), stage);
  const buildClusters = clusters('build');
  const deployClusters = clusters('deploy');
  const compose: StageExecutor = {
    description: 'compose: a new staging SHA per cycle',
    run: async () => {
      stagingSha = randomBytes(20).toString('hex');
      return { status: 'succeeded', summary: 'composed', details: { results: { sha: stagingSha } }, outputTail: [] };
    },
  };
  const testKernel: StageExecutor = {
    description: 'tests',
    run: async (ctx) => (failTests && ctx.env === 'staging' ? { status: 'failed', summary: '3 tests failed', details: null, outputTail: [] } : { status: 'succeeded', summary: '42 tests passed', details: null, outputTail: [] }),
  };
  const build = new KubernetesBuildExecutor({
    target: (env) => {
      const c = buildClusters.forEnv(env);
      return { namespace: c.namespace, jobs: c.batch, pods: c.core };
    },
    components: COMPONENTS,
    jobTemplate: TEMPLATE,
    imageTag: '{sha}',
    ttlSecondsAfterFinished: 900,
    timeoutMs: 20_000,
    pollIntervalMs: 5,
    logTailLines: 3,
  });
  const deploy = new KubernetesDeployExecutor({
    target: (env) => {
      const c = deployClusters.forEnv(env);
      return { namespace: c.namespace, deployments: c.apps };
    },
    components: COMPONENTS,
    imageTag: '{sha}',
    timeoutMs: 20_000,
    rolloutTimeoutMs: 20_000,
    pollIntervalMs: 5,
  });
  h = await startEngineHarness({
    settings: { settleMs: 50, settleMaxMs: 100, throttleMs: 0, fullIntervalMs: 0 },
    executor: (stage) => ({ compose, build, drain: null, deploy, 'test-kernel': testKernel })[stage],
    promotion: {
      environments: { staging: { ...promotionEnv(), approval: false }, production: promotionEnv(), 'production-eu': promotionEnv({ approvals: 1, denyWindows: [windowAroundNow()] }) },
      roles: {
        isApprover: async (login: string) => ['boss1', 'boss2', 'alice', 'root'].includes(login),
        isAdmin: async (login: string) => login === 'root',
      },
    },
  });
}, 30_000);

afterAll(async () => {
  await h?.close();
  await kube?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pushes a change to main and waits until its staging cycle ends; returns its release. */
async function stagingCycle() {
  const before = (await h.listCycles()).length;
  await h.engine.handleEvent(pushEvent());
  const cycle = await h.waitFor('the staging cycle', async () => {
    const cycles = await h.listCycles();
    const last = cycles[cycles.length - 1];
    return cycles.length > before && last && last.state !== 'running' ? last : null;
  }, 30_000);
  return { cycle, release: await h.waitFor('its release', () => h.releases.get(cycle.id)) };
}

async function productionCycleDone(env: string, cycleId: string) {
  return h.waitFor(`cycle ${cycleId}`, async () => {
    const record = await h.cycles.get(cycleId);
    return record && record.state !== 'running' && (await h.promotions!.listRequests(env)).every((r) => r.state !== 'deploying') ? record : null;
  }, 30_000);
}

const buildJobs = () => kube.jobNames('stg').length + kube.jobNames('prod').length + kube.jobNames('prod-eu').length;

describe('releases and promotion', () => {
  let first: Awaited<ReturnType<typeof stagingCycle>>;

  it('records a release for a staging cycle whose deploy succeeded, with the image staging ran', async () => {
    first = await stagingCycle();
    expect(first.cycle).toMatchObject({ state: 'succeeded', kind: 'full' });
    expect(first.release).toMatchObject({ env: 'staging', outcome: 'succeeded', cycleKind: 'full', stagingSha: first.cycle.stagingSha, images: { api: [`${API}:${first.cycle.stagingSha}`] } });
    expect(first.release.tests).toMatchObject({ status: 'succeeded', summary: '42 tests passed' });
    expect(kube.images('stg', 'api')).toEqual({ app: `${API}:${first.cycle.stagingSha}` });
  }, 40_000);

  it('refuses to promote a release that did not pass staging, with the reason', async () => {
    failTests = true;
    const failed = await stagingCycle();
    failTests = false;
    expect(failed.release.outcome).toBe('failed');
    const answer = await h.promotions!.promote({ env: 'production', by: 'boss1', ref: failed.release.id });
    expect(answer).toEqual({ ok: false, message: `release ${failed.release.id} did not pass staging: its cycle failed` });
  }, 40_000);

  it('refuses a non-approver, waits for two approvals, then deploys the staging images without building', async () => {
    const jobsBefore = buildJobs();
    const asked = await h.promotions!.promote({ env: 'production', by: 'carol' });
    expect(asked).toMatchObject({ ok: true, request: { releaseId: first.release.id, state: 'waiting', approvals: [] } });
    const id = asked.ok ? asked.request.id : '';

    expect(await h.promotions!.approve({ env: 'production', by: 'mallory' })).toEqual({ ok: false, message: '@mallory is not an approver (trust.approvers) and cannot approve production deploys' });
    const one = await h.promotions!.approve({ env: 'production', by: 'boss1' });
    expect(one).toMatchObject({ ok: true, request: { state: 'waiting' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.cycles.list({ env: 'production' })).toEqual([]);
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:old` });

    const two = await h.promotions!.approve({ env: 'production', by: 'boss2', requestId: id });
    expect(two).toMatchObject({ ok: true, request: { state: 'deploying' } });
    const cycle = await productionCycleDone('production', two.ok ? two.request.cycleId! : '');
    expect(cycle).toMatchObject({ state: 'succeeded', env: 'production', rebuild: [], stagingSha: first.cycle.stagingSha });
    expect(cycle.stages.map((s) => s.stage)).toEqual(['drain', 'deploy', 'test-kernel']);
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:${first.cycle.stagingSha}` });
    expect(buildJobs()).toBe(jobsBefore);
    expect((await h.promotions!.listRequests('production'))[0]).toMatchObject({ id, state: 'deployed' });

    const told = (await h.notificationJobs()).filter((j) => String(j.id).startsWith(`promoted.${id}`));
    expect(told).toEqual([]); // a push-only release has no PRs to tell
  }, 40_000);

  it('rolls back to the previous production release, restoring its images', async () => {
    const second = await stagingCycle();
    const asked = await h.promotions!.promote({ env: 'production', by: 'boss1', ref: second.release.id });
    expect(asked).toMatchObject({ ok: true, request: { state: 'waiting', approvals: [{ by: 'boss1' }] } });
    const approved = await h.promotions!.approve({ env: 'production', by: 'boss2' });
    await productionCycleDone('production', approved.ok ? approved.request.cycleId! : '');
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:${second.cycle.stagingSha}` });

    expect(await h.promotions!.rollback({ env: 'production', by: 'carol' })).toEqual({ ok: false, message: '@carol is not an approver (trust.approvers) and cannot roll back production' });
    const rollback = await h.promotions!.rollback({ env: 'production', by: 'boss1' });
    expect(rollback).toMatchObject({ ok: true, request: { action: 'rollback', state: 'waiting' } });
    const done = await h.promotions!.approve({ env: 'production', by: 'boss2' });
    const cycle = await productionCycleDone('production', done.ok ? done.request.cycleId! : '');
    expect(cycle.state).toBe('succeeded');
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:${first.cycle.stagingSha}` });
  }, 60_000);

  it('delays an approved promotion inside a deny window; an admin override deploys it and is logged', async () => {
    const asked = await h.promotions!.promote({ env: 'production-eu', by: 'boss1' });
    expect(asked).toMatchObject({ ok: true, request: { state: 'approved' } });
    expect(asked.ok && asked.request.deployAt! > Date.now() + 60 * 60_000).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.cycles.list({ env: 'production-eu' })).toEqual([]);

    expect(await h.promotions!.override({ env: 'production-eu', by: 'boss2', reason: 'hotfix' })).toEqual({ ok: false, message: '@boss2 is not an admin (trust.admins) and cannot override a deny window' });
    const overridden = await h.promotions!.override({ env: 'production-eu', by: 'root', reason: 'security hotfix' });
    expect(overridden).toMatchObject({ ok: true, request: { state: 'deploying' } });
    await productionCycleDone('production-eu', overridden.ok ? overridden.request.cycleId! : '');
    expect(kube.images('prod-eu', 'api')).not.toEqual({ app: `${API}:old` });
  }, 40_000);

  it('keeps every step in the audit stream', async () => {
    const steps = (await h.audit.list({ limit: 500 })).reverse();
    const production = steps.filter((e) => e.env === 'production').map((e) => e.step);
    expect(production).toEqual(expect.arrayContaining(['refused', 'asked', 'approved', 'deploying', 'deployed', 'rolled-back']));
    const eu = steps.filter((e) => e.env === 'production-eu');
    expect(eu.map((e) => e.step)).toEqual(['asked', 'delayed', 'refused', 'override', 'deploying', 'deployed']);
    expect(eu.find((e) => e.step === 'override')).toMatchObject({ by: 'root', message: 'deny window overridden by @root: security hotfix' });
    expect((await h.audit.list({ env: 'production-eu' })).length).toBe(eu.length);
  });
});
