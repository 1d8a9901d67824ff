import express, {} from 'express';
import { healthRoutes } from '@stagecraft/telemetry';
import { createWebhookHandler } from './webhook-handler.js';
import { sendJson } from './send-json.js';
const WEBHOOK_PATH = '/webhooks';
/**
 * The ingress HTTP handler: POST /webhooks plus /healthz, /readyz and /metrics.
 *
 * Webhooks bypass express: its per-request setup (prototype swaps on req/res, router, body-parser)
 * costs several times what verifying, parsing and enqueuing a 25 KB webhook does, and the ingress
 * has to take thousands per second. The health endpoints are rare and stay on express.
 */
export function createIngressApp(resources) {
    const handleWebhook = createWebhookHandler(resources);
    const fail = (res, err) => {
        resources.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook request failed');
        if (!res.headersSent)
            sendJson(res, 500, { error: 'internal error' });
        else
            res.destroy();
    };
    const rest = express();
    rest.disable('x-powered-by');
    rest.set('etag', false);
    rest.all(WEBHOOK_PATH, (_req, res) => {
        res.set('Allow', 'POST').status(405).json({ error: 'webhooks are received with POST' });
    });
    rest.use(healthRoutes({ metrics: resources.metrics, readiness: resources.readiness }));
    rest.use((_req, res) => {
        res.status(404).json({ error: `not found; webhooks are received on POST ${WEBHOOK_PATH}` });
    });
    rest.use((err, _req, res, _next) => fail(res, err));
    return (req, res) => {
        if (req.method === 'POST' && pathOf(req.url) === WEBHOOK_PATH) {
            handleWebhook(req, res).catch((err) => fail(res, err));
        }
        else {
            rest(req, res);
        }
    };
}
function pathOf(url) {
    if (url === undefined)
        return '';
    const query = url.indexOf('?');
    return query === -1 ? url : url.slice(0, query);
}
//# sourceMappingURL=create-ingress-app.js.map