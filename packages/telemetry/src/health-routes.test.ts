import express from 'express';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';
import { createMetrics } from './create-metrics.js';
import { healthRoutes, type ReadinessReport } from './health-routes.js';
import { startHttpServer, type RunningHttpServer } from './start-http-server.js';

let server: RunningHttpServer | undefined;
afterEach(async () => {
  await server?.close();
});

async function serve(readiness: () => ReadinessReport) {
  const metrics = createMetrics('test');
  metrics.counter('stagecraft_test_things_total', 'things', ['kind']).inc({ kind: 'a' });
  const app = express();
  app.use(healthRoutes({ metrics, readiness }));
  server = await startHttpServer({ app, port: 0, host: '127.0.0.1', logger: createLogger({ app: 'test', level: 'silent' }) });
  return `http://127.0.0.1:${server.port}`;
}

describe('healthRoutes', () => {
  it.each([
    [true, 200],
    [false, 503],
  ])('readyz with ok=%s answers %i and the report', async (ok, status) => {
    const base = await serve(() => ({ ok, checks: { redis: { ok, detail: ok ? 'PONG' : 'ECONNREFUSED' } } }));
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ ok, checks: { redis: { ok, detail: ok ? 'PONG' : 'ECONNREFUSED' } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('serves Prometheus text with default and custom metrics labelled by app', async () => {
    const base = await serve(() => ({ ok: true, checks: {} }));
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('stagecraft_process_cpu_user_seconds_total');
    expect(text).toMatch(/stagecraft_test_things_total\{kind="a",app="test"\} 1/);
  });
});
