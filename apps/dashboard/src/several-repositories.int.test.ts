import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Redis } from 'ioredis';
import type { CycleRecord } from '@stagecraft/engine';
import type { PolicySettings } from '@stagecraft/policy';
import { CatalogQueue, deletePrefixedKeys, stagecraftKeys, type StageResult } from '@stagecraft/queue';
import { createDashboardApp, SESSION_COOKIE } from './create-dashboard-app.js';
import type { EnvironmentsResponse } from './create-status-api.js';
import { serveLocally, testDashboardResources } from './test-support/test-dashboard.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const settings: PolicySettings = { settleMs: 300_000, settleMaxMs: 900_000, throttleMs: 1_500, fullIntervalMs: 6 * 3_600_000, idleCheckMs: 6 * 3_600_000, maxRestarts: 1 };
const sha = (c: string) => c.repeat(40);
const stage = (name: StageResult['stage'], status: StageResult['status']) =>
  ({ stage: name, status, startedAt: 1, finishedAt: 2, attempt: 1, summary: `${name} ${status}`, details: null, outputTail: [] }) as StageResult;

/** A staging cycle of acme/api and acme/core whose deploy succeeded, and a newer one that failed before deploying. */
const DEPLOYED: CycleRecord = {
  id: 'staging-2', env: 'staging', kind: 'partial', state: 'succeeded', trigger: 'change', reason: 'settle passed', requestedBy: null, restarts: 0,
  startedAt: Date.UTC(2026, 10, 28, 10), finishedAt: Date.UTC(2026, 10, 28, 10, 5), components: ['api', 'core'], rebuild: ['api'],
  mainSha: sha('1'), stagingSha: sha('2'),
  repos: [{ repo: 'acme/api', mainSha: sha('1'), stagingSha: sha('2') }, { repo: 'acme/core', mainSha: sha('3'), stagingSha: sha('4') }],
  prs: [{ repo: 'acme/api', number: 12, sha: sha('a') }, { repo: 'acme/core', number: 12, sha: sha('b') }, { repo: 'acme/core', number: 15, sha: sha('c') }],
  stages: [stage('compose', 'succeeded'), stage('build', 'succeeded'), stage('drain', 'succeeded'), stage('deploy', 'succeeded')],
  runningStage: null, cancelReason: null,
};
const FAILED: CycleRecord = { ...DEPLOYED, id: 'staging-3', state: 'failed', startedAt: DEPLOYED.startedAt + 3_600_000, stages: [stage('compose', 'succeeded'), stage('build', 'failed')] };

/** The cycle store's reads over fixed records, newest first. */
const cycles = {
  get: async (id: string) => [FAILED, DEPLOYED].find((c) => c.id === id) ?? null,
  list: async (opts: { env?: string } = {}) => (opts.env === undefined || opts.env === 'staging' ? [FAILED, DEPLOYED] : []),
};

describe('dashboard with several repositories: what each environment runs per repository, and the webhooks ingress ignored', () => {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const events = new CatalogQueue('events', { connection: redis, prefix });
  const servers: Server[] = [];
  /** The repository each promotion command the API sent named. */
  const sentRepos: Array<string | undefined> = [];

  async function startDashboard(repositories: string[]): Promise<{ base: string; cookie: string; csrf: string }> {
    const resources = testDashboardResources(redis, keys, {
      cycles,
      events,
      settings,
      repositories,
      promotion: {
        releases: { list: async () => [] },
        promotions: { list: async () => [] },
        releaseAudit: { list: async () => [] },
        commands: {
          send: async (_command, _by, _args, repo) => {
            sentRepos.push(repo);
            return { eventId: 'e-1', answer: null };
          },
        },
      },
    });
    const { server, base } = await serveLocally(express().use(createDashboardApp(resources)));
    servers.push(server);
    const session = await resources.sessions.create('maint', Date.now());
    return { base, cookie: `${SESSION_COOKIE}=${session.id}`, csrf: session.csrf };
  }

  beforeAll(async () => {
    // What ingress counted: two repositories that are not configured, and acme/core from before it was.
    await redis.hincrby(keys.ignoredRepositories(), 'acme/other', 12);
    await redis.hincrby(keys.ignoredRepositories(), 'octo/third', 1);
    await redis.hincrby(keys.ignoredRepositories(), 'acme/core', 3);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await events.close();
    await deletePrefixedKeys(redis, prefix);
    redis.disconnect();
  });

  const page = async (d: { base: string; cookie: string }, path: string) => (await fetch(`${d.base}${path}`, { headers: { cookie: d.cookie, accept: 'text/html' } })).text();

  it('GET /api/environments: per environment, what its newest deployed cycle has of each repository; the configured repositories; the ignored webhooks', async () => {
    const d = await startDashboard(['acme/api', 'acme/core']);
    const res = await fetch(`${d.base}/api/environments`, { headers: { authorization: 'Bearer api-token' } });
    const body = (await res.json()) as EnvironmentsResponse;

    expect(body.repositories).toEqual(['acme/api', 'acme/core']);
    expect(body.ignoredRepositories).toEqual([{ repository: 'acme/other', webhooks: 12 }, { repository: 'octo/third', webhooks: 1 }]);
    expect(body.environments[0]?.deployed).toEqual({
      cycle: 'staging-2',
      finishedAt: DEPLOYED.finishedAt,
      repositories: [
        { repository: 'acme/api', mainSha: sha('1'), stagingSha: sha('2'), prs: [{ number: 12, sha: sha('a') }] },
        { repository: 'acme/core', mainSha: sha('3'), stagingSha: sha('4'), prs: [{ number: 12, sha: sha('b') }, { number: 15, sha: sha('c') }] },
      ],
    });
  });

  it('the overview shows the ignored webhooks and one row per repository; the history and cycle page name each PR with its repository', async () => {
    const d = await startDashboard(['acme/api', 'acme/core']);
    const overview = await page(d, '/');

    expect(overview).toContain('<li data-repository="acme/other">ignored 12 webhooks from acme/other</li>');
    expect(overview).toContain('<li data-repository="octo/third">ignored 1 webhook from octo/third</li>');
    expect(overview).not.toContain('from acme/core');
    expect(overview).toContain(
      `<tr data-repository="acme/api"><td>acme/api</td><td><code>1111111</code></td><td><code>2222222</code></td><td><code>acme/api#12 aaaaaaa</code> </td></tr>`,
    );
    expect(overview).toContain(
      `<tr data-repository="acme/core"><td>acme/core</td><td><code>3333333</code></td><td><code>4444444</code></td><td><code>acme/core#12 bbbbbbb</code> <code>acme/core#15 ccccccc</code> </td></tr>`,
    );
    expect(overview).toContain('<td>acme/api#12 acme/core#12 acme/core#15</td>');

    const cycle = await page(d, '/cycles/staging-2');
    expect(cycle).toContain(`<tr data-repository="acme/core"><td>acme/core</td><td><code>${sha('3')}</code></td><td><code>${sha('4')}</code></td><td><code>acme/core#12 bbbbbbb</code> <code>acme/core#15 ccccccc</code> </td></tr>`);
  });

  it('with one repository the overview keeps its one line of heads and plain PR numbers, and still shows the ignored webhooks', async () => {
    const d = await startDashboard(['acme/api']);
    const overview = await page(d, '/');

    expect(overview).toContain('<p>main <code>1111111</code> · staging <code>2222222</code> · image tag <code>2222222</code>');
    expect(overview).not.toContain('data-testid="deployed-repositories"');
    expect(overview).toContain('<td>#12 #12 #15</td>');
    expect(overview).toContain('ignored 12 webhooks from acme/other');
    expect(overview).toContain('ignored 3 webhooks from acme/core');
  });

  it('the dashboard\'s deploy names the first repository in its command event', async () => {
    const d = await startDashboard(['acme/api', 'acme/core']);
    const res = await fetch(`${d.base}/actions/deploy`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: d.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: d.csrf }).toString(),
    });
    expect(res.status).toBe(303);
    const [job] = await events.queue.getJobs(['waiting']);
    expect(job?.data).toMatchObject({ kind: 'command', command: 'deploy', by: 'maint', repo: 'acme/api', pr: null });
  });

  it('a promotion over the API names the first repository, or the configured one it is given', async () => {
    const d = await startDashboard(['acme/api', 'acme/core']);
    const promote = (body: Record<string, string>) =>
      fetch(`${d.base}/api/promotions/promote`, { method: 'POST', headers: { authorization: 'Bearer maint-token', 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await promote({})).status).toBe(202);
    expect((await promote({ repo: 'ACME/core' })).status).toBe(202);
    const refused = await promote({ repo: 'acme/other' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'acme/other is not a configured repository: use one of acme/api, acme/core, or leave repo out' });
    expect(sentRepos).toEqual([undefined, 'acme/core']);
  });
});
