import type { RequestListener } from 'node:http';
import type { IngressResources } from './ingress-resources.js';
/**
 * The ingress HTTP handler: POST /webhooks plus /healthz, /readyz and /metrics.
 *
 * Webhooks bypass express: its per-request setup (prototype swaps on req/res, router, body-parser)
 * costs several times what verifying, parsing and enqueuing a 25 KB webhook does, and the ingress
 * has to take thousands per second. The health endpoints are rare and stay on express.
 */
export declare function createIngressApp(resources: IngressResources): RequestListener;
