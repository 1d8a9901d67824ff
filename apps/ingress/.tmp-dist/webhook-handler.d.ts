import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IngressResources } from './ingress-resources.js';
/** Seconds GitHub (or an operator redelivering) should wait after a 503. */
export declare const RETRY_AFTER_SECONDS = 5;
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
/**
 * POST /webhooks, on plain node:http. The signature is checked on the exact bytes received, before
 * any parsing; a verified event is stored in Redis (job id = delivery id, so a redelivery stores
 * nothing new) before it is answered 202.
 */
export declare function createWebhookHandler({ config, logger, metrics, enqueue }: IngressResources): WebhookHandler;
