import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Redis } from 'ioredis';
import { CycleStore, EnvStateStore } from '@stagecraft/engine';
import { CatalogQueue, deletePrefixedKeys, QUEUE_NAMES, stagecraftKeys } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { AuditLog } from './audit-log.js';
import { createDashboardApp, SESSION_COOKIE } from './create-dashboard-app.js';
import { createQueuesUi } from './create-queues-ui.js';
import { SessionStore } from './session-store.js';
import { tokenLogins } from './token-logins.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('dashboard routes: login, sessions, CSRF, bearer API', () => {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const events = new CatalogQueue('events', { connection: redis, prefix });
  const ui = createQueuesUi(QUEUE_NAMES, { connection: redis, prefix, basePath: '/queues' });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(
      createDashboardApp({
        cycles: new CycleStore(redis, keys),
        states: new EnvStateStore(redis, keys),
        environments: [{ name: 'staging', approval: false }, { name: 'production', approval: true }],
        fullIntervalMs: 6 * 3_600_000,
        repository: 'acme/app',
        sessions: new SessionStore(redis, keys.session, 60_000),
        loginOf: tokenLogins([{ login: 'maint', token: 'maint-token' }, { login: 'viewer', token: 'viewer-token' }]),
        apiToken: 'api-token',
        audit: new AuditLog(redis, keys.audit()),
        events,
        queuesUi: ui.router,
        live: { subscribe: () => () => undefined },
        secureCookies: false,
        sessionTtlMs: 60_000,
        clock: Date.now,
        logger: createLogger({ app: 'test', level: 'silent' }),
      }),
    );
    server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await ui.close();
    await events.close();
    await deletePrefixedKeys(redis, prefix);
    redis.disconnect();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });

  async function login(token: string): Promise<{ cookie: string; csrf: string }> {
    const res = await post('/login', { token, next: '/' });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+;`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0]!;
    const page = await (await get('/', { cookie, accept: 'text/html' })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    return { cookie, csrf: csrf! };
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

  it('refuses a wrong login token and keeps the next page local', async () => {
    const res = await post('/login', { token: 'guess', next: '/' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const offsite = await post('/login', { token: 'maint-token', next: '//evil.example.com/' });
    expect(offsite.headers.get('location')).toBe('/');
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
    expect(job?.data).toMatchObject({ kind: 'command', command: 'deploy', by: 'maint', pr: null });
    expect((await new AuditLog(redis, keys.audit()).recent())[0]).toMatchObject({ by: 'maint', action: 'deploy now (partial)' });
  });

  it("Bull Board's own writes need a same-origin request", async () => {
    const { cookie } = await login('maint-token');
    const cross = await fetch(`${base}/queues/api/queues/events/clean/completed`, { method: 'PUT', headers: { cookie, origin: 'https://evil.example.com' } });
    expect(cross.status).toBe(403);
    const same = await fetch(`${base}/queues/api/queues/events/clean/completed`, { method: 'PUT', headers: { cookie, origin: base } });
    expect(same.status).not.toBe(403);
  });

  it('logging out ends the session in Redis', async () => {
    const { cookie, csrf } = await login('viewer-token');
    expect((await post('/logout', { _csrf: csrf }, { cookie })).status).toBe(303);
    expect((await get('/', { cookie, accept: 'text/html' })).status).toBe(303);
  });
});
