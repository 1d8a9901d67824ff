import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { PromotionStore, type ReleaseRecord } from '@stagecraft/engine';
import { CatalogQueue, createCatalogWorker } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { AuditLog } from './audit-log.js';
import { AuthFailureLimit } from './auth-failure-limit.js';
import { createDashboardApp, SESSION_COOKIE } from './create-dashboard-app.js';
import { LOGIN_CSRF_COOKIE } from './login-csrf.js';
import { PromotionCommands } from './promotion-commands.js';
import { serveLocally, testDashboardResources } from './test-support/test-dashboard.js';
import { tokenLogins } from './token-logins.js';

/**
 * The dashboard's promotion API and approvals panel against a real scheduler engine with its
 * promotion service (no stage workers: a started production cycle just stays queued).
 */
describe('dashboard: releases, promotion requests, approve/reject', () => {
  let h: EngineHarness;
  let server: Server;
  let base: string;
  let events: CatalogQueue<'events'>;
  let eventsWorker: { close(): Promise<void> };
  let workerConnection: { disconnect(): void };
  const logger = createLogger({ app: 'test', level: 'silent' });
  const env = { approval: true, from: 'staging', requires: 'full' as const, approvals: 2, noSelfApproval: false, requestTtl: 60_000, denyWindows: [], keepReleases: 50 };

  beforeAll(async () => {
    h = await startEngineHarness({
      workers: false,
      promotion: {
        environments: { staging: { ...env, approval: false }, production: env },
        roles: { isApprover: async (l) => ['boss1', 'boss2'].includes(l), isAdmin: async () => false },
      },
    });
    events = new CatalogQueue('events', { connection: h.client, prefix: h.prefix });
    // The scheduler app's events worker, on the harness's engine.
    workerConnection = h.client.duplicate();
    eventsWorker = createCatalogWorker('events', async (ev) => h.engine.handleEvent(ev), { connection: workerConnection, prefix: h.prefix, concurrency: 1 });
    const release: ReleaseRecord = {
      id: 'staging-7',
      env: 'staging',
      cycleKind: 'full',
      outcome: 'succeeded',
      mainSha: 'a'.repeat(40),
      stagingSha: 'b'.repeat(40),
      repos: [{ repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) }],
      prs: [{ repo: 'acme/app', number: 5, sha: 'c'.repeat(40), author: 'dev' }],
      images: { api: ['reg/api:bbbbbbb'] },
      components: ['api'],
      tests: null,
      createdAt: Date.now(),
      sourceRelease: null,
    };
    await h.releases.record(release, 50);
    const resources = testDashboardResources(h.client, h.keys, {
      events,
      environments: [{ name: 'staging', approval: false }, { name: 'production', approval: true }],
      settings: { settleMs: 300_000, settleMaxMs: 900_000, throttleMs: 1_800_000, fullIntervalMs: 3_600_000, idleCheckMs: 21_600_000, maxRestarts: 1 },
      ignoredRepositories: { list: async () => [] },
      loginOf: tokenLogins([{ login: 'boss1', token: 'boss1-token' }, { login: 'boss2', token: 'boss2-token' }, { login: 'viewer', token: 'viewer-token' }]),
      authFailures: new AuthFailureLimit(h.client, h.keys.authFailures, { limit: 50, windowMs: 60_000, logger }),
      logger,
      promotion: {
        releases: h.releases,
        promotions: new PromotionStore(h.client, h.keys),
        releaseAudit: h.audit,
        commands: new PromotionCommands({ redis: h.client, keys: h.keys, events, repository: 'acme/app', clock: Date.now, answerWaitMs: 10_000 }),
      },
    });
    ({ server, base } = await serveLocally(express().use(createDashboardApp(resources))));
  }, 30_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await eventsWorker?.close();
    workerConnection?.disconnect();
    await events?.close();
    await h?.close();
  });

  const api = (path: string, token: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function session(token: string): Promise<{ cookie: string; csrf: string }> {
    const form = await fetch(`${base}/login`);
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const cookie = form.headers.getSetCookie().find((c) => c.startsWith(`${LOGIN_CSRF_COOKIE}=`))!.split(';')[0]!;
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ token, next: '/', _csrf: loginCsrf }).toString(),
    });
    const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
    const page = await (await fetch(`${base}/`, { headers: { cookie: sessionCookie, accept: 'text/html' } })).text();
    return { cookie: sessionCookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
  }

  it('promote over the API as the token’s login, a non-approver refused, the panel approves with CSRF only, and the audit lists every step', async () => {
    expect((await api('/api/releases?env=staging', 'nope')).status).toBe(401);
    const releases = (await (await api('/api/releases?env=staging', 'viewer-token')).json()) as { releases: ReleaseRecord[] };
    expect(releases.releases.map((r) => r.id)).toEqual(['staging-7']);

    const promoted = await api('/api/promotions/promote', 'boss1-token', { env: 'production' });
    const asked = (await promoted.json()) as { ok: boolean; message: string; request: { id: string; state: string; approvals: Array<{ by: string }> } };
    expect(promoted.status).toBe(200);
    expect(asked).toMatchObject({ ok: true, request: { state: 'waiting', approvals: [{ by: 'boss1' }] } });
    const requestId = asked.request.id;

    const refused = await api('/api/promotions/approve', 'viewer-token', { env: 'production', request: requestId });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(/viewer/);

    // The panel shows the waiting request with its buttons.
    const boss2 = await session('boss2-token');
    const page = await (await fetch(`${base}/`, { headers: { cookie: boss2.cookie, accept: 'text/html' } })).text();
    expect(page).toContain(`data-testid="approve-${requestId}"`);
    expect(page).not.toContain('none is waiting');

    // Without the session's CSRF token the approve is refused and nothing changes.
    const forged = await fetch(`${base}/actions/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: boss2.cookie },
      body: new URLSearchParams({ env: 'production', request: requestId }).toString(),
    });
    expect(forged.status).toBe(403);
    expect((await h.promotions!.listRequests('production'))[0]).toMatchObject({ state: 'waiting' });

    const approved = await fetch(`${base}/actions/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: boss2.cookie },
      body: new URLSearchParams({ env: 'production', request: requestId, _csrf: boss2.csrf }).toString(),
    });
    expect(approved.status).toBe(303);
    const request = (await (await api('/api/promotions?env=production', 'viewer-token')).json()) as { promotions: Array<{ id: string; state: string; approvals: Array<{ by: string }> }> };
    expect(request.promotions[0]).toMatchObject({ id: requestId, state: 'deploying', approvals: [{ by: 'boss1' }, { by: 'boss2' }] });
    expect((await new AuditLog(h.client, h.keys.audit()).recent(5)).map((e) => `${e.by} ${e.action}`)).toEqual(
      expect.arrayContaining([`boss2 approve ${requestId}`, 'viewer approve production ' + requestId + ' (API)', 'boss1 promote production (API)']),
    );

    const audit = (await (await api('/api/audit?env=production', 'viewer-token')).json()) as { audit: Array<{ step: string; by: string | null }> };
    expect(audit.audit.map((a) => `${a.step}:${a.by ?? '-'}`).reverse()).toEqual(['asked:boss1', 'refused:viewer', 'approved:boss2', 'deploying:-']);
  }, 30_000);

  it('refuses a promotion to an environment that is not deployed by promotion', async () => {
    const res = await api('/api/promotions/promote', 'boss1-token', { env: 'staging' });
    expect(res.status).toBe(400);
  });
});
