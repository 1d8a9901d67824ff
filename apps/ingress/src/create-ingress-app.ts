import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { healthRoutes } from '@stagecraft/telemetry';
import { createWebhookHandler } from './webhook-handler.js';
import { sendJson } from './send-json.js';
import type { IngressResources } from './ingress-resources.js';

const WEBHOOK_PATH = '/webhooks';

/**
 * The ingress HTTP handler: POST /webhooks plus /healthz and /readyz. /metrics is served on the
 * metrics port instead (startMetricsServer), so publishing this port never publishes metrics.
 *
 * Webhooks bypass express: its per-request setup (prototype swaps on req/res, router, body-parser)
 * costs several times what verifying, parsing and enqueuing a 25 KB webhook does, and the ingress
 * has to take thousands per second. The health endpoints are rare and stay on express.
 */
export function createIngressApp(resources: IngressResources): RequestListener {
  const handleWebhook = createWebhookHandler(resources);
  const fail = (res: Parameters<RequestListener>[1], err: unknown) => {
    resources.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    else res.destroy();
  };

  const rest = express();
  rest.disable('x-powered-by');
  rest.set('etag', false);
  rest.all(WEBHOOK_PATH, (_req: Request, res: Response) => {
    res.set('Allow', 'POST').status(405).json({ error: 'webhooks are received with POST' });
  });
  rest.use(healthRoutes({ readiness: resources.readiness }));
  rest.use((_req: Request, res: Response) => {
    res.status(404).json({ error: `not found; webhooks are received on POST ${WEBHOOK_PATH}` });
  });
  rest.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => fail(res, err));

  return (req, res) => {
    if (req.method === 'POST' && pathOf(req.url) === WEBHOOK_PATH) {
      handleWebhook(req, res).catch((err: unknown) => fail(res, err));
    } else {
      rest(req, res);
    }
  };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
