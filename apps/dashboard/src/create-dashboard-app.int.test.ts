import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { EnvStateStore, PromotionStore, ReleaseAuditLog, ReleaseStore } from '@stagecraft/engine';
import { decide, initialEnvState, type PolicySettings } from '@stagecraft/policy';
import { CatalogQueue, deletePrefixedKeys, QUEUE_NAMES, stagecraftKeys } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { AuditLog } from './audit-log.js';
import { AuthFailureLimit } from './auth-failure-limit.js';
import { createDashboardApp, SESSION_COOKIE } from './create-dashboard-app.js';
import { createQueuesUi } from './create-queues-ui.js';
import { LOGIN_CSRF_COOKIE } from './login-csrf.js';
import { serveLocally, testDashboardResources } from './test-support/test-dashboard.js';
import { tokenLogins } from './token-logins.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const settings: PolicySettings = { settleMs: 300_000, settleMaxMs: 900_000, throttleMs: 1_500, fullIntervalMs: 6 * 3_600_000, idleCheckMs: 6 * 3_600_000, maxRestarts: 1 };

describe('dashboard routes: login, sessions, CSRF, bearer API', () => {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  // The instance that does not trust X-Forwarded-For counts every test client as 127.0.0.1, so it gets keys of its own.
  const directPrefix = `${prefix}-direct`;
  const keys = stagecraftKeys(prefix);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const events = new CatalogQueue('events', { connection: redis, prefix });
  const ui = createQueuesUi(QUEUE_NAMES, { connection: redis, prefix, basePath: '/queues' });
  const stageQueue = new Queue('stage-deploy', { connection: redis, prefix });
  const logger = createLogger({ app: 'test', level: 'silent' });
  const servers: Server[] = [];
  const replicaConnections: Redis[] = [];
  let base: string;

  /** One dashboard replica; each has its own Redis connection, as separate processes would. */
  async function startDashboard(opts: { trustProxy?: boolean; authFailureWindowMs?: number; prefix?: string } = {}): Promise<string> {
    const replicaKeys = stagecraftKeys(opts.prefix ?? prefix);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    replicaConnections.push(connection);
    const app = express().use(
      createDashboardApp(
        testDashboardResources(connection, replicaKeys, {
          environments: [{ name: 'staging', approval: false }, { name: 'production', approval: true }],
          settings,
          loginOf: tokenLogins([{ login: 'maint', token: 'maint-token' }, { login: 'viewer', token: 'viewer-token' }]),
          events,
          queuesUi: ui,
          admins: ['Maint'],
          authFailures: new AuthFailureLimit(connection, replicaKeys.authFailures, { limit: 10, windowMs: opts.authFailureWindowMs ?? 60_000, logger }),
          trustProxy: opts.trustProxy ?? true,
          logger,
          promotion: {
            releases: new ReleaseStore(connection, replicaKeys),
            promotions: new PromotionStore(connection, replicaKeys),
            releaseAudit: new ReleaseAuditLog(connection, replicaKeys),
            commands: { send: async () => ({ eventId: 'unused', answer: null }) },
          },
        }),
      ),
    );
    const { server, base } = await serveLocally(app);
    servers.push(server);
    return base;
  }

  beforeAll(async () => {
    base = await startDashboard();
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await ui.close();
    await events.close();
    await stageQueue.close();
    await deletePrefixedKeys(redis, prefix);
    await deletePrefixedKeys(redis, directPrefix);
    for (const c of replicaConnections) c.disconnect();
    redis.disconnect();
  });

  const get = (path: string, headers: Record<string, string> = {}, at = base) => fetch(`${at}${path}`, { redirect: 'manual', headers });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}, at = base) =>
    fetch(`${at}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });

  /** What the login page hands the browser: the pre-session CSRF cookie and the same value in the form. */
  async function loginForm(headers: Record<string, string> = {}, at = base): Promise<{ cookie: string; csrf: string }> {
    const res = await get('/login', headers, at);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
    return { cookie: (res.headers.getSetCookie().find((c) => c.startsWith(`${LOGIN_CSRF_COOKIE}=`)) ?? '').split(';')[0]!, csrf };
  }

  /** A login through the form, as a browser does it: GET /login, then POST it back with its cookie. */
  async function postLogin(token: string, headers: Record<string, string> = {}, at = base): Promise<Response> {
    const form = await loginForm(headers, at);
    return post('/login', { token, next: '/', _csrf: form.csrf }, { cookie: form.cookie, ...headers }, at);
  }

  async function login(token: string): Promise<{ cookie: string; csrf: string }> {
    const res = await postLogin(token);
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(session).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+;`));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const cookie = session.split(';')[0]!;
    const page = await (await get('/', { cookie, accept: 'text/html' })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    return { cookie, csrf: csrf! };
  }

  /** A job of stage-deploy that a real worker failed. */
  async function failedJob(id: string): Promise<void> {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker('stage-deploy', async () => {
      throw new Error('boom');
    }, { connection, prefix });
    const failed = new Promise<void>((resolve) => worker.on('failed', (job) => job?.id === id && resolve()));
    await stageQueue.add('stage', { n: 1 }, { jobId: id, attempts: 1 });
    await failed;
    await worker.close();
    connection.disconnect();
  }

  it.each([
    ['the overview page', '/', 'text/html', 303],
    ['a cycle page', '/cycles/staging-1', 'text/html', 303],
    ['Bull Board', '/queues', 'text/html', 303],
    ['live updates', '/events', 'text/event-stream', 401],
    ['Bull Board API', '/queues/api/queues', 'application/json', 401],
  ])('%s is not reachable without a login', async (_name, path, accept, status) => {
    const res = await get(path, { accept });
    expect(res.status).toBe(status);
    if (status === 303) expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { authorization: 'Bearer nope' }, 401],
    ['a session cookie instead of the token', { cookie: `${SESSION_COOKIE}=x` }, 401],
    ['the API token', { authorization: 'Bearer api-token' }, 200],
  ])('the JSON API with %s answers %i', async (_name, headers, status) => {
    expect((await get('/api/cycles', headers as Record<string, string>)).status).toBe(status);
  });

  it("explains each environment's next cycle, on the overview and in the API, by the scheduler's rules", async () => {
    const states = new EnvStateStore(redis, keys);
    const change = { type: 'change', source: 'push', sha: 'abc1234', repo: 'acme/app', pr: null, trusted: true, components: 'all', rebuild: 'all' } as const;
    const { state } = decide(initialEnvState('staging'), change, Date.now(), settings);
    await states.commit('staging', (await states.load('staging')).version, state, [], null);
    try {
      const api = (await (await get('/api/environments', { authorization: 'Bearer api-token' })).json()) as { environments: Array<{ name: string; explanation: any }> };
      const next = api.environments.find((e) => e.name === 'staging')?.explanation.next;
      expect(next).toMatchObject({ id: 'staging-1', waitingFor: 'settle', reason: expect.stringMatching(/^settle until \d\d:\d\d:\d\d UTC \(1 change\)$/), kind: 'full', kindReason: 'full: no full cycle has run yet' });
      expect(api.environments.find((e) => e.name === 'production')?.explanation.next).toBeNull();

      const { cookie } = await login('maint-token');
      const page = await (await get('/', { cookie, accept: 'text/html' })).text();
      expect(page).toContain(`<b>staging-1</b>: ${next.reason}<br>full: no full cycle has run yet<br>`);
    } finally {
      await states.commit('staging', (await states.load('staging')).version, initialEnvState('staging'), [], null);
    }
  });

  it('refuses a wrong login token and keeps the next page local', async () => {
    const res = await postLogin('guess');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie') ?? '').not.toContain(SESSION_COOKIE);
    const form = await loginForm();
    const offsite = await post('/login', { token: 'maint-token', next: '//evil.example.com/', _csrf: form.csrf }, { cookie: form.cookie });
    expect(offsite.headers.get('location')).toBe('/');
  });

  describe('login CSRF (double submit)', () => {
    it('the login page sets a short-lived HttpOnly SameSite=Strict cookie and carries the same value in its form', async () => {
      const res = await get('/login');
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${LOGIN_CSRF_COOKIE}=`)) ?? '';
      const value = new RegExp(`^${LOGIN_CSRF_COOKIE}=([\\w-]{20,});`).exec(setCookie)?.[1];
      expect(value).toBeDefined();
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1])).toBeLessThanOrEqual(3600);
      expect(await res.text()).toContain(`name="_csrf" value="${value}"`);
      expect((await loginForm()).csrf).not.toBe(value);
    });

    it.each([
      ['neither the cookie nor the form field', { cookie: false, field: null }],
      ['the cookie but not the form field', { cookie: true, field: null }],
      ['the form field but not the cookie', { cookie: false, field: 'same' }],
      ['a form field that is not the cookie', { cookie: true, field: 'another-value-of-the-right-length-000000' }],
    ])('refuses a login with %s, even with a valid token', async (_name, given) => {
      const form = await loginForm();
      const fields: Record<string, string> = { token: 'maint-token', next: '/' };
      if (given.field !== null) fields['_csrf'] = given.field === 'same' ? form.csrf : given.field;
      const res = await post('/login', fields, given.cookie ? { cookie: form.cookie } : {});
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie') ?? '').not.toContain(SESSION_COOKIE);
      expect(await res.text()).toContain('reload the login page');
    });

    it('logs in when the form carries the cookie\'s value, and clears that cookie', async () => {
      const res = await postLogin('maint-token');
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^${LOGIN_CSRF_COOKIE}=;`)));
    });
  });

  describe('failed logins and bearer checks are limited per client address', () => {
    // The main instance trusts X-Forwarded-For, so each test can be a client of its own.
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const bearer = (token: string, address: string) => ({ authorization: `Bearer ${token}`, ...from(address) });
    const expectLimited = (res: Response, windowSeconds: number) => {
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    };

    it('refuses even the right login token after 10 wrong ones, and another address is not affected', async () => {
      for (let i = 0; i < 10; i++) expect((await postLogin('wrong', from('203.0.113.1'))).status).toBe(401);
      const refused = await postLogin('maint-token', from('203.0.113.1'));
      expectLimited(refused, 60);
      expect(refused.headers.get('set-cookie') ?? '').not.toContain(SESSION_COOKIE);
      const ttl = await redis.pttl(keys.authFailures('203.0.113.1'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);

      expect((await postLogin('maint-token', from('203.0.113.2'))).status).toBe(303);
      // Another address's success does not reset the count.
      expectLimited(await postLogin('maint-token', from('203.0.113.1')), 60);
    });

    it('refuses even the right bearer token after 10 wrong ones', async () => {
      for (let i = 0; i < 10; i++) expect((await get('/api/cycles', bearer('wrong', '203.0.113.10'))).status).toBe(401);
      const refused = await get('/api/cycles', bearer('api-token', '203.0.113.10'));
      expectLimited(refused, 60);
      expect(await refused.json()).toMatchObject({ error: expect.stringContaining('too many failed') });
      expect((await get('/api/cycles', bearer('api-token', '203.0.113.11'))).status).toBe(200);
    });

    it('counts wrong login tokens and wrong bearer tokens together', async () => {
      for (let i = 0; i < 5; i++) expect((await postLogin('wrong', from('203.0.113.20'))).status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await get('/api/cycles', bearer('wrong', '203.0.113.20'))).status).toBe(401);
      expectLimited(await get('/api/cycles', bearer('api-token', '203.0.113.20')), 60);
      expectLimited(await postLogin('maint-token', from('203.0.113.20')), 60);
    });

    it('replicas on the same Redis share the count', async () => {
      const replica = await startDashboard();
      for (let i = 0; i < 5; i++) expect((await postLogin('wrong', from('203.0.113.30'))).status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await postLogin('wrong', from('203.0.113.30'), replica)).status).toBe(401);
      expectLimited(await postLogin('maint-token', from('203.0.113.30'), replica), 60);
      expectLimited(await postLogin('maint-token', from('203.0.113.30')), 60);
    });

    it('lets the address try again once the window has passed', async () => {
      const shortWindow = await startDashboard({ authFailureWindowMs: 1000 });
      for (let i = 0; i < 10; i++) expect((await postLogin('wrong', from('203.0.113.40'), shortWindow)).status).toBe(401);
      expectLimited(await postLogin('maint-token', from('203.0.113.40'), shortWindow), 1);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await postLogin('maint-token', from('203.0.113.40'), shortWindow)).status).toBe(303);
    });

    it('without trustProxy, X-Forwarded-For does not make a new client: the connection\'s address counts', async () => {
      const direct = await startDashboard({ trustProxy: false, prefix: directPrefix });
      for (let i = 0; i < 10; i++) expect((await postLogin('wrong', from(`198.51.100.${i}`), direct)).status).toBe(401);
      expectLimited(await postLogin('maint-token', from('198.51.100.99'), direct), 60);
      expect(await redis.exists(stagecraftKeys(directPrefix).authFailures('127.0.0.1'))).toBe(1);
    });
  });

  it('a logged-in maintainer sees the views and Bull Board, and acts only with the CSRF token', async () => {
    const { cookie, csrf } = await login('maint-token');
    const page = await (await get('/', { cookie, accept: 'text/html' })).text();
    expect(page).toContain('No cycle running.');
    expect(page).toContain('Production approvals');
    expect((await get('/queues', { cookie, accept: 'text/html' })).status).toBe(200);

    expect((await post('/actions/deploy', {}, { cookie })).status).toBe(403);
    expect((await post('/actions/deploy', { _csrf: 'wrong' }, { cookie })).status).toBe(403);
    expect(await events.queue.count()).toBe(0);

    const ok = await post('/actions/deploy', { _csrf: csrf }, { cookie });
    expect(ok.status).toBe(303);
    const [job] = await events.queue.getJobs(['waiting', 'active', 'completed']);
    expect(job?.data).toMatchObject({ kind: 'command', command: 'deploy', by: 'maint', pr: null, repo: 'acme/app' });
    expect((await new AuditLog(redis, keys.audit()).recent())[0]).toMatchObject({ by: 'maint', action: 'deploy now (partial)' });
  });

  it("Bull Board's own writes need a same-origin request", async () => {
    const { cookie } = await login('maint-token');
    const cross = await fetch(`${base}/queues/api/queues/events/clean/completed`, { method: 'PUT', headers: { cookie, origin: 'https://evil.example.com' } });
    expect(cross.status).toBe(403);
    expect((await new AuditLog(redis, keys.audit()).recent(1))[0]?.action ?? '').not.toContain('/queues/api/queues/events/clean/completed');
    const same = await fetch(`${base}/queues/api/queues/events/clean/completed`, { method: 'PUT', headers: { cookie, origin: base } });
    expect(same.status).not.toBe(403);
  });

  describe('Bull Board is read-only except for apps.dashboard.admins', () => {
    const queueView = async (cookie: string) =>
      ((await (await get('/queues/api/queues', { cookie })).json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues;

    it("refuses every change a non-admin's session asks for, and the job stays as it was", async () => {
      await failedJob('viewer-1');
      const { cookie } = await login('viewer-token');
      const q = '/queues/api/queues/stage-deploy';
      const changes: Array<[string, string, unknown?]> = [
        ['PUT', `${q}/viewer-1/retry`],
        ['PUT', `${q}/viewer-1/clean`],
        ['PUT', `${q}/viewer-1/promote`],
        ['PATCH', `${q}/viewer-1/update-data`, { data: { n: 2 } }],
        ['PATCH', `${q}/viewer-1/priority`, { priority: 5 }],
        ['PUT', `${q}/retry/failed`],
        ['PUT', `${q}/clean/failed`],
        ['PUT', `${q}/promote`],
        ['PUT', `${q}/pause`],
        ['PUT', '/queues/api/queues/pause'],
        ['PUT', `${q}/empty`],
        ['PUT', `${q}/obliterate`, { force: true }],
        ['POST', `${q}/add`, { name: 'injected', data: {} }],
        ['DELETE', `${q}/viewer-1`],
      ];
      for (const [method, path, body] of changes) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { cookie, origin: base, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      }
      const job = await stageQueue.getJob('viewer-1');
      expect(await job?.getState()).toBe('failed');
      expect(job?.data).toEqual({ n: 1 });
      expect(await stageQueue.isPaused()).toBe(false);
      expect(await stageQueue.getJobCounts('waiting', 'prioritized', 'delayed')).toEqual({ waiting: 0, prioritized: 0, delayed: 0 });
      expect((await new AuditLog(redis, keys.audit()).recent(200)).filter((e) => e.by === 'viewer')).toEqual([]);
      // The UI it gets shows no buttons that change anything.
      const view = await queueView(cookie);
      expect(view.length).toBe(QUEUE_NAMES.length);
      expect(view.every((queue) => queue.readOnlyMode)).toBe(true);
    });

    it("an admin's retry goes through and is in the audit list with who, what and when", async () => {
      await failedJob('admin-1');
      const { cookie } = await login('maint-token');
      expect((await queueView(cookie)).every((queue) => !queue.readOnlyMode)).toBe(true);
      const before = Date.now();
      const res = await fetch(`${base}/queues/api/queues/stage-deploy/admin-1/retry`, { method: 'PUT', headers: { cookie, origin: base } });
      expect(res.status).toBe(204);
      expect(await (await stageQueue.getJob('admin-1'))?.getState()).toBe('waiting');
      const [entry] = await new AuditLog(redis, keys.audit()).recent(1);
      expect(entry).toMatchObject({ by: 'maint', action: 'Bull Board PUT /queues/api/queues/stage-deploy/admin-1/retry' });
      expect(entry!.at).toBeGreaterThanOrEqual(before);
      expect(entry!.at).toBeLessThanOrEqual(Date.now());
    });
  });

  it('logging out ends the session in Redis', async () => {
    const { cookie, csrf } = await login('viewer-token');
    expect((await post('/logout', { _csrf: csrf }, { cookie })).status).toBe(303);
    expect((await get('/', { cookie, accept: 'text/html' })).status).toBe(303);
  });
});
