import type { Redis } from 'ioredis';
import type express from 'express';
import { loadConfig, type StagecraftConfig } from '@stagecraft/config';
import { createRedisConnection, stagecraftKeys, type ConnectionPurpose, type StagecraftKeys } from '@stagecraft/queue';
import {
  createLogger,
  createMetrics,
  healthRoutes,
  installShutdown,
  redisReadiness,
  startHttpServer,
  startMetricsServer,
  type Logger,
  type Metrics,
  type RunningHttpServer,
} from '@stagecraft/telemetry';
import { redisTargetOf } from '@stagecraft/queue';

export type AppName = keyof StagecraftConfig['apps'];

/** What every Stagecraft process has: its config, logger, metrics, Redis, health endpoints, shutdown. */
export interface AppRuntime {
  app: AppName;
  config: StagecraftConfig;
  logger: Logger;
  metrics: Metrics;
  keys: StagecraftKeys;
  prefix: string;
  /** A new connection for each use: BullMQ workers block theirs. */
  redis(purpose: ConnectionPurpose): Redis;
  /**
   * Serve health and readiness (plus `extra` routes) on the app's port, and /metrics on its metrics
   * port, never on the app's; env PORT and METRICS_PORT override them.
   */
  serve(extra?: express.Router | express.Express): Promise<{ port: number; metricsPort: number }>;
  /** Run at shutdown, in registration order, before Redis connections close. */
  onShutdown(name: string, run: () => Promise<void>): void;
}

export function createAppRuntime(app: AppName, env: NodeJS.ProcessEnv = process.env): AppRuntime {
  const config = loadConfig({ env });
  const logger = createLogger({ app, level: config.log.level });
  const metrics = createMetrics(app);
  const connections: Redis[] = [];
  const steps: Array<{ name: string; run: () => Promise<void> }> = [];
  let health: Redis | undefined;
  let metricsServer: RunningHttpServer | undefined;

  const runtime: AppRuntime = {
    app,
    config,
    logger,
    metrics,
    keys: stagecraftKeys(config.redis.prefix),
    prefix: config.redis.prefix,
    redis(purpose) {
      const connection = createRedisConnection(redisTargetOf(config.redis), purpose);
      connection.on('error', (err) => logger.warn({ err: err.message, purpose }, 'redis connection error'));
      connections.push(connection);
      return connection;
    },
    async serve(extra) {
      health ??= runtime.redis('client');
      const express = (await import('express')).default;
      const server = express();
      server.disable('x-powered-by');
      server.use(healthRoutes({ readiness: async () => {
        const redis = await redisReadiness(health!)();
        return { ok: redis.ok, checks: { redis } };
      } }));
      if (extra) server.use(extra);
      const port = env['PORT'] !== undefined ? Number(env['PORT']) : config.apps[app].port;
      const http = await startHttpServer({ app: server, port, logger });
      steps.unshift({ name: 'http server', run: () => http.close() });
      const metricsPort = env['METRICS_PORT'] !== undefined ? Number(env['METRICS_PORT']) : config.apps[app].metricsPort;
      metricsServer = await startMetricsServer({ metrics, port: metricsPort, logger });
      return { port: http.port, metricsPort: metricsServer.port };
    },
    onShutdown(name, run) {
      steps.push({ name, run });
    },
  };

  installShutdown({
    logger,
    graceMs: config.workers.shutdownGrace,
    steps: [
      { name: 'app', run: async () => { for (const s of steps) await s.run(); } },
      // Metrics stay scrapeable while the app finishes its work.
      { name: 'metrics server', run: async () => { await metricsServer?.close(); } },
      { name: 'redis', run: async () => { await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect()))); } },
    ],
  });
  return runtime;
}
