import http, { type RequestListener } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';
import { createMetrics } from './create-metrics.js';
import { healthRoutes, type ReadinessReport } from './health-routes.js';
import { startHttpServer, type RunningHttpServer } from './start-http-server.js';
import { startMetricsServer } from './start-metrics-server.js';

const logger = createLogger({ app: 'test', level: 'silent' });
let server: RunningHttpServer | undefined;
const afterEachCleanups: Array<() => void> = [];
afterEach(async () => {
  for (const cleanup of afterEachCleanups.splice(0)) cleanup();
  await server?.close();
  server = undefined;
});

async function serve(readiness: () => Promise<ReadinessReport> | ReadinessReport, mount: 'app' | 'router' = 'app') {
  const routes = healthRoutes({ readiness });
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

  it.each(['app', 'router'] as const)('does not serve /metrics on the app port, mounted as %s', async (mount) => {
    const base = await serve(() => ({ ok: true, checks: {} }), mount);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('answers 404 for anything else when given a bare router', async () => {
    const base = await serve(() => ({ ok: true, checks: {} }), 'router');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('startMetricsServer', () => {
  it('serves Prometheus text with default and custom metrics at /metrics, and nothing else', async () => {
    const metrics = createMetrics('test');
    metrics.counter('stagecraft_test_things_total', 'things', ['kind']).inc({ kind: 'a' });
    server = await startMetricsServer({ metrics, port: 0, host: '127.0.0.1', logger });
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toContain('stagecraft_process_cpu_user_seconds_total');
    expect(text).toMatch(/stagecraft_test_things_total\{kind="a",app="test"\} 1/);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(404);
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

  it.each<[string, string]>([
    ['its body', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":'],
    ['its headers', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Le'],
  ])('answers 408 and closes a connection that stalls in %s past requestTimeoutMs', async (_case, sent) => {
    const reading: RequestListener = (req, res) => {
      req.resume();
      req.on('end', () => res.end('read'));
    };
    server = await startHttpServer({ app: reading, port: 0, host: '127.0.0.1', logger, requestTimeoutMs: 300 });
    const started = Date.now();
    const { response } = await within(3000, 'the stalled connection closing', stallingClient(server.port, sent).closed);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('stops without waiting for connections still sending a request, and finishes one whose request has arrived', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const app: RequestListener = (req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow') {
          arrived();
          void released.then(() => res.end('done'));
        }
      });
    };
    server = await startHttpServer({ app, port: 0, host: '127.0.0.1', logger, requestTimeoutMs: 60_000 });
    const { port } = server;
    try {
      const answered = fetch(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: 'all of it' }).then((r) => r.text());
      await inFlight;
      const midBody = stallingClient(port, 'POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":');
      const midHeaders = stallingClient(port, 'POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Le');
      await new Promise((resolve) => setTimeout(resolve, 100));

      const closed = server.close();
      await within(1000, 'the connection stalled mid-body closing', midBody.closed);
      await within(1000, 'the connection stalled mid-headers closing', midHeaders.closed);
      release();
      expect(await answered).toBe('done');
      await within(1000, 'close() resolving', closed);
    } finally {
      release();
    }
  });
});

/** A raw client that sends `sent` and then nothing; `closed` resolves with the answer once the server drops it. */
function stallingClient(port: number, sent: string) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  socket.write(sent);
  const closed = new Promise<{ response: string }>((resolve) => socket.once('close', () => resolve({ response })));
  afterEachCleanups.push(() => socket.destroy());
  return { closed };
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
