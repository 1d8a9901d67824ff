import express from 'express';
import type { Metrics } from './create-metrics.js';

/** GET /metrics: the app's registry as Prometheus text. */
export function metricsRoutes(metrics: Metrics): express.Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    // Scrapers must see the state of now, never a cached answer.
    res.set('Cache-Control', 'no-store');
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
