// One benchmark target in its own process (the load generator runs in the parent), told which by
// argv[2]: `bare` = node:http that only reads the body and answers 202; `ingress` = the built
// ingress app writing to real Redis under a random prefix. Reports its port over IPC; on a
// `finish` message reports what it stored, removes its Redis keys and exits.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const mode = process.argv[2];
const secret = process.env.BENCH_WEBHOOK_SECRET;
const repository = process.env.BENCH_REPOSITORY;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CPU seconds (user + system) this process used since `mark`. */
const cpuSince = (mark) => {
  const { user, system } = process.cpuUsage(mark);
  return (user + system) / 1e6;
};

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

if (mode === 'bare') {
  let answered = 0;
  let answeredAtMark = 0;
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      answered += 1;
      res.statusCode = 202;
      res.end();
    });
  });
  const port = await listen(server);
  let cpuMark = process.cpuUsage();
  process.on('message', (msg) => {
    if (msg === 'mark') {
      cpuMark = process.cpuUsage();
      answeredAtMark = answered;
      process.send({ marked: true });
    }
    if (msg !== 'finish') return;
    server.close();
    process.send({ answered202: answered, answeredSinceMark: answered - answeredAtMark, cpu: cpuSince(cpuMark) }, () => process.exit(0));
  });
  process.send({ port });
} else if (mode === 'ingress') {
  const { Redis } = await import('ioredis');
  const { CatalogQueue, createRedisConnection, deletePrefixedKeys } = await import('../packages/queue/dist/index.js');
  const { createLogger, createMetrics } = await import('../packages/telemetry/dist/index.js');
  const { createIngressApp } = await import('../apps/ingress/dist/create-ingress-app.js');
  const { EventBatcher } = await import('../apps/ingress/dist/event-batcher.js');
  const { ingressMetrics } = await import('../packages/webhooks/dist/index.js');

  const prefix = `scbench-ingress-${randomBytes(4).toString('hex')}`;
  const producer = createRedisConnection(redisUrl, 'producer');
  const queue = new CatalogQueue('events', { connection: producer, prefix });
  const metrics = createMetrics('ingress');
  const instruments = ingressMetrics(metrics);
  const batcher = new EventBatcher(queue, {
    maxSize: Number(process.env.BENCH_BATCH_MAX_SIZE ?? 256),
    maxWaitMs: Number(process.env.BENCH_BATCH_MAX_WAIT_MS ?? 2),
    timeoutMs: 5000,
    isAvailable: () => producer.status === 'ready',
    onWrite: (size) => instruments.batchSize.observe(size),
  });
  const app = createIngressApp({
    config: {
      repositories: [{ name: repository }],
      github: { botName: 'stagecraft', webhookSecret: { reveal: () => secret, isSet: true } },
      apps: { ingress: { bodyLimit: '1mb', maxUnverifiedBytes: '64mb' } },
    },
    logger: createLogger({ app: 'ingress-bench', level: 'warn' }),
    metrics,
    enqueue: (event) => batcher.add(event),
    // The bench sends only the configured repository's webhooks: nothing is ignored.
    countIgnoredRepository: () => {},
    readiness: async () => ({ ok: producer.status === 'ready', checks: {} }),
  });
  const server = createServer(app);
  const port = await listen(server);

  const histogramTotals = async (name) => {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
    const value = (suffix) => metric?.values.find((v) => v.metricName === `${name}_${suffix}`)?.value ?? 0;
    return { count: value('count'), sum: value('sum') };
  };

  let cpuMark = process.cpuUsage();
  let queuedAtMark = 0;
  process.on('message', async (msg) => {
    if (msg === 'mark') {
      cpuMark = process.cpuUsage();
      queuedAtMark = (await histogramTotals('stagecraft_webhook_enqueue_seconds')).count;
      process.send({ marked: true });
    }
    if (msg !== 'finish') return;
    const cpu = cpuSince(cpuMark);
    await new Promise((resolve) => server.close(resolve));
    await batcher.close();
    const jobs = await queue.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    const queued = (await histogramTotals('stagecraft_webhook_enqueue_seconds')).count;
    const batches = await histogramTotals('stagecraft_webhook_enqueue_batch_size');
    const rejected = (await metrics.registry.getSingleMetric('stagecraft_webhooks_rejected_total')?.get())?.values ?? [];
    await queue.queue.obliterate({ force: true });
    await queue.close();
    const cleaner = new Redis(redisUrl);
    await deletePrefixedKeys(cleaner, prefix);
    cleaner.disconnect();
    await producer.quit();
    process.send(
      { answered202: queued, answeredSinceMark: queued - queuedAtMark, cpu, jobs, batches: batches.count, batchedEvents: batches.sum, rejected: rejected.map((v) => [v.labels.reason, v.value]) },
      () => process.exit(0),
    );
  });
  process.send({ port });
} else {
  process.stderr.write(`usage: ingress-target.mjs bare|ingress\n`);
  process.exit(2);
}
