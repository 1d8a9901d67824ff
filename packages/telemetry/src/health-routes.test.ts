import http, { type RequestListener } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';
import { createMetrics } from './create-metrics.js';
import { healthRoutes, type ReadinessReport } from './health-routes.js';
import { startHttpServer, type RunningHttpServer } from './start-http-server.js';

const logger = createLogger({ app: 'test', level: 'silent' });
let server: RunningHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(readiness: () => Promise<ReadinessReport> | ReadinessReport, mount: 'app' | 'router' = 'app') {
  const metrics = createMetrics('test');
  metrics.counter('stagecraft_test_things_total', 'things', ['kind']).inc({ kind: 'a' });
  const routes = healthRoutes({ metrics, readiness });
  const app = mount === 'app' ? express().use(routes) : routes;
  server = await startHttpServer({ app, port: 0, host: '127.0.0.1', logger });
  return `http://127.0.0.1:${server.port}`;
}

describe('healthRoutes', () => {
  it.each([
    [true, 200],
    [false, 503],
  ])('readyz with ok=%s answers %i and the report', async (ok, status) => {
    const report = { ok, checks: { redis: { ok, detail: ok ? 'PONG' : 'ECONNREFUSED' } } };
    const base = await serve(async () => report);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(report);
  });

  it.each<[string, () => ReadinessReport | Promise<ReadinessReport>]>([
    ['throws', () => { throw new Error('config not loaded'); }],
    ['rejects', () => Promise.reject(new Error('config not loaded'))],
  ])('readyz answers 503 when the check %s', async (_name, readiness) => {
    const base = await serve(readiness);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, checks: { readiness: { ok: false, detail: 'config not loaded' } } });
  });

  it('healthz answers ok while readiness fails', async () => {
    const base = await serve(() => ({ ok: false, checks: {} }));
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it.each(['app', 'router'] as const)('serves Prometheus text with default and custom metrics, mounted as %s', async (mount) => {
    const base = await serve(() => ({ ok: true, checks: {} }), mount);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('stagecraft_process_cpu_user_seconds_total');
    expect(text).toMatch(/stagecraft_test_things_total\{kind="a",app="test"\} 1/);
  });

  it('answers 404 for anything else when given a bare router', async () => {
    const base = await serve(() => ({ ok: true, checks: {} }), 'router');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('startHttpServer', () => {
  it('reports the real port when asked for port 0', async () => {
    const plain: RequestListener = (_req, res) => res.end('plain');
    server = await startHttpServer({ app: plain, port: 0, host: '127.0.0.1', logger });
    expect(server.port).toBeGreaterThan(0);
    expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe('plain');
  });

  it('finishes a request in flight on a keep-alive connection, then closes', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const slow: RequestListener = (_req, res) => {
      arrived();
      void released.then(() => res.end('done'));
    };
    const running = await startHttpServer({
      app: slow,
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    const agent = new http.Agent({ keepAlive: true });
    const body = new Promise<{ text: string; connection: string | undefined }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: running.port, agent }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ text, connection: res.headers.connection }));
        })
        .on('error', reject);
    });
    await inFlight;
    const closed = running.close();
    release();
    // Without closing the connection once it goes idle, close() would wait out the 65 s keep-alive.
    await closed;
    expect(await body).toEqual({ text: 'done', connection: 'keep-alive' });
    await expect(fetch(`http://127.0.0.1:${running.port}/`)).rejects.toThrow();
    agent.destroy();
    await running.close();
  });
});
