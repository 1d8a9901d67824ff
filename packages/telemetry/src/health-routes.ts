import express from 'express';
import type { Metrics } from './create-metrics.js';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** GET /healthz (the process runs), /readyz (its dependencies answer), /metrics (Prometheus). */
export function healthRoutes(opts: { metrics: Metrics; readiness: () => Promise<ReadinessReport> | ReadinessReport }): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await Promise.resolve(opts.readiness()).catch(
      (err: Error): ReadinessReport => ({ ok: false, checks: { readiness: { ok: false, detail: err.message } } }),
    );
    res.status(report.ok ? 200 : 503).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
  return router;
}
