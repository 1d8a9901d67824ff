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
  type Logger,
  type Metrics,
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
  /** Serve health, readiness and metrics (plus `extra` routes) on the app's port; env PORT overrides. */
  serve(extra?: express.Router | express.Express): Promise<{ port: number }>;
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
      server.use(healthRoutes({ metrics, readiness: async () => {
        const redis = await redisReadiness(health!)();
        return { ok: redis.ok, checks: { redis } };
      } }));
      if (extra) server.use(extra);
      const port = env['PORT'] !== undefined ? Number(env['PORT']) : config.apps[app].port;
      const http = await startHttpServer({ app: server, port, logger });
      steps.unshift({ name: 'http server', run: () => http.close() });
      return { port: http.port };
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
      { name: 'redis', run: async () => { await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect()))); } },
    ],
  });
  return runtime;
}
