import type { Logger } from './create-logger.js';
import type { Metrics } from './create-metrics.js';
import { metricsRoutes } from './metrics-routes.js';
import { startHttpServer, type RunningHttpServer } from './start-http-server.js';

/**
 * GET /metrics on a port of its own (apps.<app>.metricsPort), apart from the app's public port: the
 * cluster's Prometheus scrapes it, and an Ingress that publishes the app's port does not reach it.
 */
export function startMetricsServer(opts: { metrics: Metrics; port: number; host?: string; logger: Logger }): Promise<RunningHttpServer> {
  return startHttpServer({
    app: metricsRoutes(opts.metrics),
    port: opts.port,
    host: opts.host,
    logger: opts.logger.child({ server: 'metrics' }),
  });
}
