import express from 'express';
import type { Metrics } from './create-metrics.js';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** GET /healthz (the process runs), /readyz (its dependencies answer), /metrics (Prometheus). */
export function healthRoutes(opts: { metrics: Metrics; readiness: () => Promise<ReadinessReport> | ReadinessReport }): express.Router {
  const router = express.Router();
  // Probes and scrapers must see the state of now, never a cached answer.
  router.use(['/healthz', '/readyz', '/metrics'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // A check that throws (even synchronously) means not ready, with its message as the reason.
    const report = await Promise.resolve()
      .then(() => opts.readiness())
      .catch((err: unknown): ReadinessReport => ({
        ok: false,
        checks: { readiness: { ok: false, detail: err instanceof Error ? err.message : String(err) } },
      }));
    res.status(report.ok ? 200 : 503).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
  return router;
}
