import { ConfigError, loadConfig } from '@stagecraft/config';
import { CatalogQueue, createRedisConnection, redisTargetOf, stagecraftKeys } from '@stagecraft/queue';
import { createLogger, createMetrics, installShutdown, redisReadiness, startHttpServer, startMetricsServer } from '@stagecraft/telemetry';
import { createIngressApp } from './create-ingress-app.js';
import { EventBatcher } from './event-batcher.js';
import { IgnoredRepositoryTally } from './ignored-repository-tally.js';
import { ingressMetrics } from '@stagecraft/webhooks';
import { WebhookSecretNotSetError } from './errors/webhook-secret-not-set-error.js';
import { startWebhookProxy } from './start-webhook-proxy.js';

// Well inside GitHub's 10 s delivery timeout, so a stalled Redis gets a 503, not a timed-out delivery.
const ENQUEUE_TIMEOUT_MS = 5000;

function startupConfig() {
  try {
    const config = loadConfig();
    if (!config.github.webhookSecret.isSet) throw new WebhookSecretNotSetError(config.github.webhookSecret.source);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof WebhookSecretNotSetError)) throw err;
    process.stderr.write(`stagecraft ingress: ${err.message}\n`);
    process.exit(1);
  }
}

const config = startupConfig();
const logger = createLogger({ app: 'ingress', level: config.log.level });
const metrics = createMetrics('ingress');
const { batchSize } = ingressMetrics(metrics);

const producer = createRedisConnection(redisTargetOf(config.redis), 'producer');
producer.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis producer connection error'));
const queue = new CatalogQueue('events', { connection: producer, prefix: config.redis.prefix });
// BullMQ re-emits the connection's errors, already logged above.
queue.queue.on('error', (err: Error) => logger.debug({ err: err.message }, 'events queue error'));
const tally = new IgnoredRepositoryTally(producer, {
  key: stagecraftKeys(config.redis.prefix).ignoredRepositories(),
  maxWaitMs: config.apps.ingress.batchMaxWaitMs,
  isAvailable: () => producer.status === 'ready',
  onError: (err) => logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'ignored-repository counts not written yet'),
});
const batcher = new EventBatcher(queue, {
  maxSize: config.apps.ingress.batchMaxSize,
  maxWaitMs: config.apps.ingress.batchMaxWaitMs,
  timeoutMs: ENQUEUE_TIMEOUT_MS,
  isAvailable: () => producer.status === 'ready',
  onWrite: (size) => {
    batchSize.observe(size);
    // Ignored-repository counts ride along: issued in the same turn as the batch, on the same connection.
    void tally.write();
  },
});
const redisReady = redisReadiness(producer);

const app = createIngressApp({
  config,
  logger,
  metrics,
  enqueue: (event) => batcher.add(event),
  countIgnoredRepository: (repository) => tally.count(repository),
  readiness: async () => {
    const redis = await redisReady();
    return { ok: redis.ok, checks: { redis } };
  },
});

const port = process.env['PORT'] !== undefined ? Number(process.env['PORT']) : config.apps.ingress.port;
const server = await startHttpServer({ app, port, logger, requestTimeoutMs: config.apps.ingress.requestTimeout });
const metricsPort = process.env['METRICS_PORT'] !== undefined ? Number(process.env['METRICS_PORT']) : config.apps.ingress.metricsPort;
const metricsServer = await startMetricsServer({ metrics, port: metricsPort, logger });
// Development against real GitHub from a machine GitHub cannot reach (Probot's convention).
const proxySource = process.env['WEBHOOK_PROXY_URL'];
const proxy = proxySource ? await startWebhookProxy({ source: proxySource, target: `http://127.0.0.1:${server.port}/webhooks`, logger }) : null;

installShutdown({
  logger,
  graceMs: config.workers.shutdownGrace,
  steps: [
    ...(proxy ? [{ name: 'webhook proxy', run: () => proxy.stop() }] : []),
    { name: 'http server', run: () => server.close() },
    { name: 'event batcher', run: () => batcher.close() },
    { name: 'ignored-repository counts', run: () => tally.close() },
    { name: 'events queue', run: () => queue.close() },
    { name: 'redis', run: async () => { await producer.quit().catch(() => producer.disconnect()); } },
    { name: 'metrics server', run: () => metricsServer.close() },
  ],
});
