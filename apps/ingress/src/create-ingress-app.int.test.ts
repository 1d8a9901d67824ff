import { describe, it, expect, afterEach } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { CatalogQueue, createRedisConnection, stagecraftKeys } from '@stagecraft/queue';
import { createLogger, createMetrics, startHttpServer, startMetricsServer, type RunningHttpServer } from '@stagecraft/telemetry';
import { buildWebhook, ingressMetrics, normalizeWebhook, signWebhook, webhookHeaders, type WebhookFieldsByName, type WebhookName } from '@stagecraft/webhooks';
import { createIngressApp } from './create-ingress-app.js';
import { EventBatcher } from './event-batcher.js';
import { IgnoredRepositoryTally } from './ignored-repository-tally.js';
import { RETRY_AFTER_SECONDS } from './webhook-handler.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const REPOSITORY = 'acme/app';
const secret = randomBytes(16).toString('hex');

interface Harness {
  url: string;
  metricsUrl: string;
  port: number;
  server: RunningHttpServer;
  prefix: string;
  queue: CatalogQueue<'events'>;
  metrics: ReturnType<typeof createMetrics>;
  /** Every log line the ingress wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** The ignored-repository hash in Redis: lower-case owner/name → count. */
  ignoredCounts(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const open: Harness[] = [];
const clientSockets: Socket[] = [];

afterEach(async () => {
  for (const socket of clientSockets.splice(0)) socket.destroy();
  await Promise.all(open.splice(0).map((h) => h.close()));
});

/** The ingress as main.ts wires it, on port 0, writing under a fresh prefix (removed afterwards). */
async function startIngress(
  opts: { redisUrl?: string; batcherIsAvailable?: boolean; timeoutMs?: number; requestTimeoutMs?: number; maxUnverifiedBytes?: string; repositories?: string[]; requireChecks?: string[] | 'required' } = {},
): Promise<Harness> {
  const prefix = `scingress-${randomBytes(5).toString('hex')}`;
  // A short disconnectTimeout: ioredis otherwise keeps a 2 s timer for a socket that never connected.
  const producer = createRedisConnection(opts.redisUrl ?? REDIS_URL, 'producer', { disconnectTimeout: 50 });
  producer.on('error', () => undefined);
  if (opts.redisUrl === undefined) await new Promise((resolve) => producer.once('ready', resolve));
  const queue = new CatalogQueue('events', { connection: producer, prefix });
  queue.queue.on('error', () => undefined);
  const metrics = createMetrics('ingress');
  const logLines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ app: 'ingress-test', level: 'warn', destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
  const ignoredKey = stagecraftKeys(prefix).ignoredRepositories();
  const tally = new IgnoredRepositoryTally(producer, { key: ignoredKey, maxWaitMs: 2, isAvailable: () => producer.status === 'ready' });
  const batcher = new EventBatcher(queue, {
    maxSize: 256,
    maxWaitMs: 2,
    timeoutMs: opts.timeoutMs ?? 5000,
    ...(opts.batcherIsAvailable === false ? {} : { isAvailable: () => producer.status === 'ready' }),
    onWrite: (size) => {
      ingressMetrics(metrics).batchSize.observe(size);
      void tally.write();
    },
  });
  const app = createIngressApp({
    config: {
      repositories: (opts.repositories ?? [REPOSITORY]).map((name) => ({ name, compose: { requireChecks: opts.requireChecks ?? ['ci/build'] } })),
      github: { botName: 'stagecraft', webhookSecret: { reveal: () => secret, isSet: true } },
      apps: { ingress: { bodyLimit: '1mb', maxUnverifiedBytes: opts.maxUnverifiedBytes ?? '64mb' } },
    },
    logger,
    metrics,
    enqueue: (event) => batcher.add(event),
    countIgnoredRepository: (repository) => tally.count(repository),
    readiness: async () => ({ ok: producer.status === 'ready', checks: {} }),
  });
  const server = await startHttpServer({ app, port: 0, host: '127.0.0.1', logger, requestTimeoutMs: opts.requestTimeoutMs ?? 10_000 });
  const metricsServer = await startMetricsServer({ metrics, port: 0, host: '127.0.0.1', logger });
  const harness: Harness = {
    url: `http://127.0.0.1:${server.port}`,
    metricsUrl: `http://127.0.0.1:${metricsServer.port}`,
    port: server.port,
    server,
    prefix,
    queue,
    metrics,
    logLines,
    async ignoredCounts() {
      const redis = new Redis(REDIS_URL);
      try {
        return await redis.hgetall(ignoredKey);
      } finally {
        redis.disconnect();
      }
    },
    async close() {
      await server.close();
      await metricsServer.close();
      await batcher.close().catch(() => undefined);
      await tally.close();
      if (producer.status === 'ready') await queue.queue.obliterate({ force: true });
      await queue.close().catch(() => undefined);
      producer.disconnect();
      await deleteKeys(prefix);
    },
  };
  open.push(harness);
  return harness;
}

async function deleteKeys(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    for (const key of await keysUnder(redis, prefix)) await redis.del(key);
  } finally {
    redis.disconnect();
  }
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

async function jobCount(h: Harness): Promise<number> {
  const counts = await h.queue.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function metricValue(h: Harness, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await h.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const matching = (metric?.values ?? []).filter(
    (v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return matching.reduce((sum, v) => sum + v.value, 0);
}

async function histogram(h: Harness, name: string) {
  const metric = (await h.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (suffix: string) => metric?.values.find((v) => (v as { metricName?: string }).metricName === `${name}_${suffix}`)?.value ?? 0;
  return { count: value('count'), sum: value('sum') };
}

/** A payload from the webhook builder with the action asked for, then edited as the case needs. */
function sample(name: WebhookName, edit?: (payload: any) => void, action?: string) {
  const payload = buildWebhook(name, (action !== undefined ? { action } : {}) as WebhookFieldsByName[typeof name]);
  edit?.(payload);
  return payload;
}

function forRepo(edit?: (payload: any) => void) {
  return (payload: any) => {
    payload.repository.full_name = REPOSITORY;
    edit?.(payload);
  };
}

async function post(
  h: Harness,
  name: string,
  body: string | Buffer,
  opts: { deliveryId?: string; signature?: string | null; headers?: Record<string, string | null> } = {},
) {
  const deliveryId = opts.deliveryId ?? randomUUID();
  const signature = opts.signature === undefined ? await signWebhook(secret, body.toString()) : opts.signature;
  const headers: Record<string, string> = webhookHeaders({ name, deliveryId, signature: signature ?? '' });
  if (signature === null) delete headers['X-Hub-Signature-256'];
  for (const [key, value] of Object.entries(opts.headers ?? {})) {
    if (value === null) delete headers[key];
    else headers[key] = value;
  }
  const res = await fetch(`${h.url}/webhooks`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers, deliveryId };
}

const HELD_BYTES = 'stagecraft_webhook_unverified_body_bytes';

/** `promise`'s value, or a failure naming what did not happen within `ms`. */
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

async function waitFor(what: string, check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The request line and headers of a webhook that declares `contentLength` bytes of body. */
function webhookHead(contentLength: number): string {
  const headers = {
    Host: '127.0.0.1',
    ...webhookHeaders({ name: 'pull_request', deliveryId: randomUUID(), signature: `sha256=${'0'.repeat(64)}` }),
    'Content-Length': String(contentLength),
  };
  return `POST /webhooks HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/**
 * A client on a raw socket that sends `first` and then nothing more, as a slow or hostile client
 * does; `closed` resolves with what the server answered once the connection is gone.
 */
function stallingClient(h: Harness, first: string | Buffer) {
  const started = Date.now();
  const socket = connect(h.port, '127.0.0.1');
  // A reset after the server's answer leaves the answer readable; the answer is what is checked.
  socket.on('error', () => undefined);
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  const closed = new Promise<{ response: string; afterMs: number }>((resolve) =>
    socket.once('close', () => resolve({ response, afterMs: Date.now() - started })),
  );
  socket.write(first);
  clientSockets.push(socket);
  return { closed, destroy: () => socket.destroy() };
}

describe('ingress POST /webhooks on real Redis', () => {
  it.each<[string, WebhookName, string | undefined, (payload: any) => void]>([
    ['a push to main', 'push', undefined, forRepo((p) => { p.ref = 'refs/heads/main'; })],
    ['an opened pull request', 'pull_request', 'opened', forRepo()],
    ['a synchronized pull request', 'pull_request', 'synchronize', forRepo()],
    ['a closed pull request', 'pull_request', 'closed', forRepo()],
    ['a deploy command on a PR', 'issue_comment', 'created', forRepo((p) => {
      p.comment.body = '@stagecraft deploy';
      p.issue.pull_request = { url: 'https://api.github.com/repos/acme/app/pulls/1' };
    })],
    ['a promote command on a commit', 'commit_comment', 'created', forRepo((p) => { p.comment.body = '@stagecraft promote'; })],
    ['a created check run', 'check_run', 'created', forRepo()],
    ['a completed check run', 'check_run', 'completed', forRepo()],
    ['a completed check suite', 'check_suite', 'completed', forRepo()],
    ['a commit status', 'status', undefined, forRepo()],
  ])('stores %s as exactly one job holding the normalized event', async (_case, name, action, edit) => {
    const h = await startIngress();
    const payload = sample(name, edit, action);
    const res = await post(h, name, JSON.stringify(payload));

    expect(res).toMatchObject({ status: 202, body: { queued: res.deliveryId } });
    expect(await jobCount(h)).toBe(1);
    const job = await h.queue.queue.getJob(res.deliveryId);
    const expected = normalizeWebhook({ name, deliveryId: res.deliveryId, receivedAt: 0, payload, botName: 'stagecraft' });
    if (!('event' in expected)) throw new Error(`the sample was ignored: ${expected.ignored}`);
    expect(job?.name).toBe(expected.event.kind);
    expect(job?.data).toEqual({ ...expected.event, receivedAt: expect.any(Number) });
    expect(await metricValue(h, 'stagecraft_webhooks_received_total', { event: name })).toBe(1);
  });

  it.each<[string, { signature?: string | null; tamper?: boolean }]>([
    ['no signature header', { signature: null }],
    ['an empty signature header', { signature: '' }],
    ['a signature made with another secret', { signature: 'other' }],
    ['a malformed signature header', { signature: 'sha256=not-hex' }],
    ['a sha1 signature', { signature: `sha1=${'0'.repeat(40)}` }],
    ['a body changed after signing', { tamper: true }],
  ])('answers 401 and stores nothing for %s', async (_case, { signature, tamper }) => {
    const h = await startIngress();
    const body = JSON.stringify(sample('pull_request', forRepo()));
    const sent = tamper ? body.replace('"opened"', '"closed"') : body;
    const header = signature === 'other' ? await signWebhook('another secret', body) : tamper ? await signWebhook(secret, body) : signature;
    const res = await post(h, 'pull_request', sent, { signature: header });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String) });
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'signature' })).toBe(1);
    expect(await metricValue(h, 'stagecraft_webhooks_received_total')).toBe(0);
  });

  it('stores a redelivered webhook once', async () => {
    const h = await startIngress();
    const body = JSON.stringify(sample('pull_request', forRepo()));
    const first = await post(h, 'pull_request', body);
    const again = await post(h, 'pull_request', body, { deliveryId: first.deliveryId });

    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body).toEqual({ queued: first.deliveryId });
    expect(await jobCount(h)).toBe(1);
  });

  it.each<[string, string | Buffer, string]>([
    ['a body that is not JSON', '{"action": "opened", ', 'not JSON'],
    ['a form-encoded body', `payload=${encodeURIComponent('{"action":"opened"}')}`, 'application/json'],
    ['a JSON body that is not a webhook object', '[1,2,3]', 'missing required fields'],
    ['a pull_request without its pull request', JSON.stringify({ action: 'opened', number: 1, repository: { full_name: REPOSITORY } }), 'missing required fields'],
  ])('answers 400 and stores nothing for %s, correctly signed', async (_case, body, message) => {
    const h = await startIngress();
    const res = await post(h, 'pull_request', body);

    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toContain(message);
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'malformed' })).toBe(1);
  });

  it.each<[string, Record<string, string | null>]>([
    ['no X-GitHub-Event', { 'X-GitHub-Event': null }],
    ['no X-GitHub-Delivery', { 'X-GitHub-Delivery': null }],
    ['an integer X-GitHub-Delivery (BullMQ refuses integer job ids)', { 'X-GitHub-Delivery': '12345' }],
    ['a X-GitHub-Delivery with a colon', { 'X-GitHub-Delivery': 'a:b' }],
  ])('answers 400 and stores nothing for %s', async (_case, headers) => {
    const h = await startIngress();
    const res = await post(h, 'pull_request', JSON.stringify(sample('pull_request', forRepo())), { headers });

    expect(res.status).toBe(400);
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'missing_headers' })).toBe(1);
  });

  it('answers 413 and stores nothing for a body over the limit', async () => {
    const h = await startIngress();
    const body = JSON.stringify(sample('pull_request', forRepo((p) => { p.pull_request.body = 'x'.repeat(1024 * 1024); })));
    const res = await post(h, 'pull_request', body);

    expect(res.status).toBe(413);
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'too_large' })).toBe(1);
  });

  it.each<[string, string, any, string, string]>([
    ['an unknown event type', 'star', { action: 'created', repository: { full_name: REPOSITORY } }, 'event star is not handled', 'unhandled_event'],
    ['a ping', 'ping', sample('ping', forRepo()), 'ping', 'ping'],
    ['a ping of the App, which names no repository', 'ping', sample('ping', (p) => { delete p.repository; }), 'ping', 'ping'],
    ['an ignored pull_request action', 'pull_request', sample('pull_request', forRepo(), 'assigned'), 'pull_request action assigned is not handled', 'unhandled_action'],
    ['a comment without a command', 'issue_comment', sample('issue_comment', forRepo()), 'issue_comment holds no new @stagecraft command', 'no_command'],
    ['a comment edited by someone other than its author', 'issue_comment', sample('issue_comment', forRepo((p) => {
      p.comment.body = '@stagecraft deploy';
      p.comment.user.login = 'maint';
      p.sender.login = 'writer';
    }), 'edited'), "issue_comment of maint edited by writer: only the author's own edits run commands", 'edited_by_other'],
    ['an event of another repository', 'pull_request', sample('pull_request'), `repository Codertocat/Hello-World is not configured (repositories: ${REPOSITORY})`, 'other_repository'],
  ])('answers 202 ignored and stores nothing for %s', async (_case, name, payload, ignored, reason) => {
    const h = await startIngress();
    const res = await post(h, name, JSON.stringify(payload));

    expect(res).toMatchObject({ status: 202, body: { ignored } });
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_ignored_total', { event: name, reason })).toBe(1);
  });

  it.each<[string, WebhookName, string | undefined]>([
    ['a check run', 'check_run', 'completed'],
    ['a check suite', 'check_suite', 'completed'],
    ['a commit status', 'status', undefined],
  ])('answers 202 ignored and stores nothing for %s of a repository that requires no checks', async (_case, name, action) => {
    const h = await startIngress({ requireChecks: [] });
    const res = await post(h, name, JSON.stringify(sample(name, forRepo(), action)));

    expect(res).toMatchObject({ status: 202, body: { ignored: `${REPOSITORY} requires no checks (compose.requireChecks)` } });
    expect(await jobCount(h)).toBe(0);
    expect(await metricValue(h, 'stagecraft_webhooks_ignored_total', { event: name, reason: 'checks_not_required' })).toBe(1);
  });

  it("stores a check run of a repository whose required checks are its branch's", async () => {
    const h = await startIngress({ requireChecks: 'required' });
    const res = await post(h, 'check_run', JSON.stringify(sample('check_run', forRepo(), 'completed')));
    expect(res).toMatchObject({ status: 202, body: { queued: res.deliveryId } });
  });

  it('accepts a repository name in another letter case, and stores the name as configured', async () => {
    const h = await startIngress();
    const res = await post(h, 'pull_request', JSON.stringify(sample('pull_request', (p) => { p.repository.full_name = 'ACME/App'; })));
    expect(res).toMatchObject({ status: 202, body: { queued: res.deliveryId } });
    expect(await jobCount(h)).toBe(1);
    expect((await h.queue.queue.getJob(res.deliveryId))?.data.repo).toBe(REPOSITORY);
  });

  it('stores 64 concurrent webhooks with fewer addBulk calls than requests', async () => {
    const h = await startIngress();
    const bodies = Array.from({ length: 64 }, (_, i) =>
      JSON.stringify(sample('pull_request', forRepo((p) => { p.number = i + 1; p.pull_request.number = i + 1; }), 'synchronize')),
    );
    const results = await Promise.all(bodies.map((body) => post(h, 'pull_request', body)));

    expect(results.map((r) => r.status)).toEqual(Array(64).fill(202));
    expect(await jobCount(h)).toBe(64);
    const batches = await histogram(h, 'stagecraft_webhook_enqueue_batch_size');
    expect(batches.sum).toBe(64);
    expect(batches.count).toBeLessThan(64);
    expect((await histogram(h, 'stagecraft_webhook_enqueue_seconds')).count).toBe(64);
  });

  it.each<[string, { batcherIsAvailable: boolean; timeoutMs?: number }]>([
    ['the batcher sees the connection is down', { batcherIsAvailable: true }],
    ['the write does not complete in time', { batcherIsAvailable: false, timeoutMs: 300 }],
  ])('answers 503 with Retry-After and stores nothing when Redis is unreachable (%s)', async (_case, opts) => {
    const h = await startIngress({ redisUrl: 'redis://127.0.0.1:1', ...opts });
    const res = await post(h, 'pull_request', JSON.stringify(sample('pull_request', forRepo())));

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'redis_unavailable' })).toBe(1);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await keysUnder(redis, h.prefix)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('serves health and readiness on its port, and the webhook metrics only on the metrics port', async () => {
    const h = await startIngress();
    await post(h, 'pull_request', JSON.stringify(sample('pull_request', forRepo())));
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${h.url}/metrics`)).status).toBe(404);
    const text = await (await fetch(`${h.metricsUrl}/metrics`)).text();
    expect(text).toMatch(/^stagecraft_webhooks_received_total\{event="pull_request"[^}]*\} 1$/m);
    expect(text).toMatch(/^stagecraft_webhook_enqueue_batch_size_count(\{[^}]*\})? 1$/m);
  });

  it.each<[string, string, number]>([
    ['GET', '/nothing-here', 404],
    ['POST', '/webhooks/extra', 404],
    ['GET', '/webhooks', 405],
  ])('answers %s %s with a small JSON %i', async (method, path, status) => {
    const h = await startIngress();
    const res = await fetch(`${h.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it('takes webhooks on a path with a query string', async () => {
    const h = await startIngress();
    const body = JSON.stringify(sample('pull_request', forRepo()));
    const deliveryId = randomUUID();
    const res = await fetch(`${h.url}/webhooks?source=github`, {
      method: 'POST',
      headers: webhookHeaders({ name: 'pull_request', deliveryId, signature: await signWebhook(secret, body) }),
      body,
    });
    expect(res.status).toBe(202);
    expect(await jobCount(h)).toBe(1);
  });
});

describe('ingress with several repositories, and webhooks of repositories not configured', () => {
  const API = 'acme/api';
  const CORE = 'acme/core';
  const about = (repository: string, edit?: (payload: any) => void) => (payload: any) => {
    payload.repository.full_name = repository;
    edit?.(payload);
  };
  const ignoredMetric = (h: Harness, repository: string) => metricValue(h, 'stagecraft_ingress_ignored_webhooks_total', { repository });
  const warnings = (h: Harness) => h.logLines.filter((l) => l['level'] === 40 && typeof l['repository'] === 'string').map((l) => l['repository']);

  it('stores the webhooks of every configured repository, each event with its repository', async () => {
    const h = await startIngress({ repositories: [API, CORE] });
    const push = await post(h, 'push', JSON.stringify(sample('push', about(API))));
    const pr = await post(h, 'pull_request', JSON.stringify(sample('pull_request', about('Acme/Core'), 'opened')));
    const comment = await post(h, 'issue_comment', JSON.stringify(sample('issue_comment', about(CORE, (p) => { p.comment.body = '@stagecraft deploy'; }))));

    expect([push, pr, comment].map((r) => r.body)).toEqual([{ queued: push.deliveryId }, { queued: pr.deliveryId }, { queued: comment.deliveryId }]);
    expect(await jobCount(h)).toBe(3);
    const repos = await Promise.all([push, pr, comment].map(async (r) => (await h.queue.queue.getJob(r.deliveryId))?.data.repo));
    expect(repos).toEqual([API, CORE, CORE]);
    expect(await metricValue(h, 'stagecraft_ingress_ignored_webhooks_total')).toBe(0);
    expect(await h.ignoredCounts()).toEqual({});
  });

  it('answers 202 to a signed webhook of another repository, stores nothing, counts it per repository in metrics and Redis, and warns once per repository', async () => {
    const h = await startIngress({ repositories: [API, CORE] });
    const sent = [
      await post(h, 'push', JSON.stringify(sample('push', about('acme/other')))),
      await post(h, 'pull_request', JSON.stringify(sample('pull_request', about('acme/other'), 'opened'))),
      await post(h, 'issue_comment', JSON.stringify(sample('issue_comment', about('Acme/Other', (p) => { p.comment.body = '@stagecraft deploy'; })))),
      await post(h, 'star', JSON.stringify({ action: 'created', repository: { full_name: 'acme/other' } })),
      await post(h, 'pull_request', JSON.stringify(sample('pull_request', about('octo/third'), 'opened'))),
    ];

    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(sent[0]!.body).toEqual({ ignored: `repository acme/other is not configured (repositories: ${API}, ${CORE})` });
    expect(sent[2]!.body).toEqual({ ignored: `repository Acme/Other is not configured (repositories: ${API}, ${CORE})` });
    expect(await jobCount(h)).toBe(0);
    expect(await ignoredMetric(h, 'acme/other')).toBe(4);
    expect(await ignoredMetric(h, 'octo/third')).toBe(1);
    expect(await metricValue(h, 'stagecraft_webhooks_ignored_total', { reason: 'other_repository' })).toBe(5);
    const text = await (await fetch(`${h.metricsUrl}/metrics`)).text();
    expect(text).toMatch(/^stagecraft_ingress_ignored_webhooks_total\{repository="acme\/other"[^}]*\} 4$/m);
    await waitFor('the counts in Redis', async () => JSON.stringify(await h.ignoredCounts()) === JSON.stringify({ 'acme/other': '4', 'octo/third': '1' }));
    expect(warnings(h)).toEqual(['acme/other', 'octo/third']);
    expect(h.logLines.find((l) => l['repository'] === 'octo/third')?.['msg']).toBe(
      `webhooks from octo/third are ignored: it is not in repositories: (${API}, ${CORE}). Add it there to stage it, or remove the GitHub App or webhook from it; \`stagecraft status\` counts them (said once per repository)`,
    );
  });

  it('adds to the counts already in Redis, and writes them with the events of configured repositories', async () => {
    const h = await startIngress({ repositories: [API] });
    await post(h, 'pull_request', JSON.stringify(sample('pull_request', about('acme/other'), 'opened')));
    await waitFor('the first count in Redis', async () => (await h.ignoredCounts())['acme/other'] === '1');
    const both = await Promise.all([
      post(h, 'pull_request', JSON.stringify(sample('pull_request', about('acme/other'), 'synchronize'))),
      post(h, 'push', JSON.stringify(sample('push', about(API)))),
    ]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    await waitFor('the second count in Redis', async () => (await h.ignoredCounts())['acme/other'] === '2');
    expect(await jobCount(h)).toBe(1);
    expect(warnings(h)).toEqual(['acme/other']);
  });

  it('counts nothing for a webhook of another repository whose signature does not verify', async () => {
    const h = await startIngress({ repositories: [API] });
    const res = await post(h, 'push', JSON.stringify(sample('push', about('acme/other'))), { signature: await signWebhook('another secret', '{}') });

    expect(res.status).toBe(401);
    expect(await metricValue(h, 'stagecraft_ingress_ignored_webhooks_total')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.ignoredCounts()).toEqual({});
    expect(warnings(h)).toEqual([]);
  });
});

describe('ingress on slow and stalled clients', () => {
  it('answers 408 and closes the connection when a body stalls past apps.ingress.requestTimeout', async () => {
    const h = await startIngress({ requestTimeoutMs: 300 });
    const client = stallingClient(h, `${webhookHead(1000)}{"action":`);
    const { response, afterMs } = await within(3000, 'the server closing a stalled body', client.closed);

    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(250);
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'timeout' })).toBe(1);
    expect(await metricValue(h, HELD_BYTES)).toBe(0);
  });

  it('cuts off a client whose headers do not arrive within apps.ingress.requestTimeout', async () => {
    const h = await startIngress({ requestTimeoutMs: 300 });
    const client = stallingClient(h, 'POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: pull_');
    const { response, afterMs } = await within(3000, 'the server closing a connection with stalled headers', client.closed);

    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(250);
  });

  it('answers 503 with Retry-After while stalled bodies hold apps.ingress.maxUnverifiedBytes, and takes webhooks again once they are gone', async () => {
    const h = await startIngress({ maxUnverifiedBytes: '64kb' });
    const part = Buffer.alloc(16 * 1024, 'x');
    const halfSent = () => Buffer.concat([Buffer.from(webhookHead(2 * part.length)), part]);
    const stalled: Array<ReturnType<typeof stallingClient>> = [];
    for (let i = 1; i <= 4; i++) {
      stalled.push(stallingClient(h, halfSent()));
      await waitFor(`${i} stalled bodies held`, async () => (await metricValue(h, HELD_BYTES)) === i * part.length);
    }

    const over = await within(3000, 'an answer past the cap', stallingClient(h, halfSent()).closed);
    expect(over.response).toMatch(/^HTTP\/1\.1 503 /);
    expect(over.response).toMatch(new RegExp(`^retry-after: ${RETRY_AFTER_SECONDS}\r$`, 'im'));
    expect(await metricValue(h, 'stagecraft_webhooks_rejected_total', { reason: 'unverified_bytes_cap' })).toBe(1);
    expect(await metricValue(h, HELD_BYTES)).toBe(4 * part.length);

    for (const client of stalled) client.destroy();
    await waitFor('the stalled bodies released', async () => (await metricValue(h, HELD_BYTES)) === 0);
    const res = await post(h, 'pull_request', JSON.stringify(sample('pull_request', forRepo())));
    expect(res.status).toBe(202);
    expect(await jobCount(h)).toBe(1);
  });

  it('stops at once while a client stalls in the middle of its body', async () => {
    const h = await startIngress({ requestTimeoutMs: 10_000 });
    const client = stallingClient(h, `${webhookHead(1000)}{"action":`);
    await waitFor('the stalled body held', async () => (await metricValue(h, HELD_BYTES)) > 0);

    const started = Date.now();
    await within(2000, 'close() resolving', h.server.close());
    expect(Date.now() - started).toBeLessThan(1000);
    await within(1000, 'the stalled client disconnected', client.closed);
  });
});
