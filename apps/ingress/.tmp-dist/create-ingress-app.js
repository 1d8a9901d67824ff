import express, {} from 'express';
import { healthRoutes } from '@stagecraft/telemetry';
import { webhookRouter } from './webhook-router.js';
/** The ingress HTTP app: POST /webhooks plus /healthz, /readyz and /metrics. */
export function createIngressApp(resources) {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use('/webhooks', webhookRouter(resources));
    app.use(healthRoutes({ metrics: resources.metrics, readiness: resources.readiness }));
    app.use((_req, res) => {
        res.status(404).json({ error: 'not found; webhooks are received on POST /webhooks' });
    });
    app.use((err, _req, res, _next) => {
        resources.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook request failed');
        res.status(500).json({ error: 'internal error' });
    });
    return app;
}
//# sourceMappingURL=create-ingress-app.js.map