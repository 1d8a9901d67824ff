import express, {} from 'express';
import { MalformedWebhookError, normalizeWebhook, verifyWebhookSignature } from '@stagecraft/github';
import { ingressMetrics } from './ingress-metrics.js';
/** Seconds GitHub (or an operator redelivering) should wait after a 503. */
export const RETRY_AFTER_SECONDS = 5;
const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
// GitHub's delivery ids are GUIDs. BullMQ refuses job ids that are integers or hold ':', and one
// refused id would fail every event of its batch, so anything else is rejected up front.
const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INTEGER = /^\d+$/;
const EMPTY = Buffer.alloc(0);
/**
 * POST / : a GitHub webhook delivery. The signature is checked on the exact bytes received,
 * before any parsing; a verified event is stored in Redis (job id = delivery id, so a redelivery
 * stores nothing new) before it is answered 202.
 */
export function webhookRouter({ config, logger, metrics, enqueue }) {
    const instruments = ingressMetrics(metrics);
    const secret = config.github.webhookSecret.reveal();
    const repository = config.github.repository.toLowerCase();
    const { botName, mainBranch } = config.github;
    const reject = (res, status, reason, error, detail) => {
        instruments.rejected.inc({ reason });
        logger.warn({ status, reason, ...detail }, `webhook rejected: ${error}`);
        res.status(status).json({ error });
    };
    const requireWebhookHeaders = (req, res, next) => {
        const name = req.get('x-github-event');
        const deliveryId = req.get('x-github-delivery');
        if (name === undefined || deliveryId === undefined) {
            return reject(res, 400, 'missing_headers', 'X-GitHub-Event and X-GitHub-Delivery are required');
        }
        if (!EVENT_NAME.test(name) || !DELIVERY_ID.test(deliveryId) || INTEGER.test(deliveryId)) {
            return reject(res, 400, 'missing_headers', 'X-GitHub-Event or X-GitHub-Delivery is not what GitHub sends', { deliveryId });
        }
        // Unsigned requests are turned away before their body is read.
        if (!req.get('x-hub-signature-256')) {
            return reject(res, 401, 'signature', 'X-Hub-Signature-256 is missing', { deliveryId });
        }
        next();
    };
    const handleWebhook = async (req, res) => {
        const name = req.get('x-github-event');
        const deliveryId = req.get('x-github-delivery');
        const body = Buffer.isBuffer(req.body) ? req.body : EMPTY;
        if (!(await verifyWebhookSignature(secret, body, req.get('x-hub-signature-256')))) {
            return reject(res, 401, 'signature', 'X-Hub-Signature-256 does not match the body and the configured secret', { deliveryId });
        }
        instruments.received.inc({ event: name });
        let payload;
        try {
            payload = JSON.parse(body.toString('utf8'));
        }
        catch {
            return reject(res, 400, 'malformed', 'the body is not JSON; set the webhook content type to application/json', {
                deliveryId,
                contentType: req.get('content-type'),
            });
        }
        let result;
        try {
            result = normalizeWebhook({ name, deliveryId, receivedAt: Date.now(), payload, botName, mainBranch });
        }
        catch (err) {
            if (!(err instanceof MalformedWebhookError))
                throw err;
            return reject(res, 400, 'malformed', err.message, { deliveryId, event: name });
        }
        if ('ignored' in result) {
            instruments.ignored.inc({ event: name, reason: result.reason });
            logger.debug({ deliveryId, event: name, reason: result.ignored }, 'webhook ignored');
            return res.status(202).json({ ignored: result.ignored });
        }
        const { event } = result;
        if (event.repo.toLowerCase() !== repository) {
            instruments.ignored.inc({ event: name, reason: 'other_repository' });
            logger.info({ deliveryId, event: name, repo: event.repo }, 'webhook for another repository ignored');
            return res.status(202).json({ ignored: `repository ${event.repo} is not ${config.github.repository}` });
        }
        const stopTimer = instruments.enqueueSeconds.startTimer();
        try {
            await enqueue(event);
        }
        catch (err) {
            res.set('Retry-After', String(RETRY_AFTER_SECONDS));
            return reject(res, 503, 'redis_unavailable', 'the event could not be stored; retry later', {
                deliveryId,
                err: err instanceof Error ? err.message : String(err),
            });
        }
        stopTimer();
        logger.debug({ deliveryId, event: name, kind: event.kind }, 'webhook queued');
        return res.status(202).json({ queued: deliveryId });
    };
    const bodyErrors = (err, _req, res, next) => {
        const type = err?.type;
        const status = err?.status;
        if (type === 'entity.too.large') {
            return reject(res, 413, 'too_large', `the body is larger than ${config.apps.ingress.bodyLimit}`);
        }
        // Other body-parser failures (aborted upload, bad length, unsupported encoding) carry a 4xx status.
        if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
            return reject(res, status, 'malformed', err.message);
        }
        next(err);
    };
    const router = express.Router();
    router.post('/', requireWebhookHeaders, 
    // Every body is read as bytes, whatever its content type: the signature covers the bytes.
    express.raw({ type: () => true, limit: config.apps.ingress.bodyLimit }), handleWebhook);
    router.use(bodyErrors);
    return router;
}
//# sourceMappingURL=webhook-router.js.map