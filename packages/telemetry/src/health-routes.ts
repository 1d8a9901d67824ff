import express from 'express';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * GET /healthz (the process runs) and /readyz (its dependencies answer), on the app's own port for
 * the probes. Metrics are not here: they are served on a port of their own (startMetricsServer).
 */
export function healthRoutes(opts: { readiness: () => Promise<ReadinessReport> | ReadinessReport }): express.Router {
  const router = express.Router();
  // Probes must see the state of now, never a cached answer.
  router.use(['/healthz', '/readyz'], (_req, res, next) => {
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
  return router;
}
