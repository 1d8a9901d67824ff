import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ingressMetrics,
  MalformedWebhookError,
  normalizeWebhook,
  unverifiedBodyBytesGauge,
  verifyWebhookSignature,
  webhookRepository,
  type RejectReason,
} from '@stagecraft/webhooks';
import { configuredRepositoryLookup, requiresChecksLookup } from './configured-repositories.js';
import type { IngressResources } from './ingress-resources.js';
import { parseByteSize } from './parse-byte-size.js';
import { readBody } from './read-body.js';
import { sendJson } from './send-json.js';
import { UnverifiedBodyBudget } from './unverified-body-budget.js';
import { BodyTooLargeError } from './errors/body-too-large-error.js';
import { UnverifiedBytesCapReachedError } from './errors/unverified-bytes-cap-reached-error.js';

/** Seconds GitHub (or an operator redelivering) should wait after a 503. */
export const RETRY_AFTER_SECONDS = 5;

const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
// GitHub's delivery ids are GUIDs. BullMQ refuses job ids that are integers or hold ':', and one
// refused id would fail every event of its batch, so anything else is turned away up front.
const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INTEGER = /^\d+$/;

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * POST /webhooks, on plain node:http. The signature is checked on the exact bytes received, before
 * any parsing; a verified event is stored in Redis (job id = delivery id, so a redelivery stores
 * nothing new) before it is answered 202.
 */
export function createWebhookHandler({ config, logger, metrics, enqueue, countIgnoredRepository }: IngressResources): WebhookHandler {
  const instruments = ingressMetrics(metrics);
  const secret = config.github.webhookSecret.reveal();
  const configuredName = configuredRepositoryLookup(config.repositories);
  const requiresChecks = requiresChecksLookup(config.repositories);
  const configuredList = config.repositories.map((r) => r.name).join(', ');
  const limitBytes = parseByteSize(config.apps.ingress.bodyLimit);
  const budget = new UnverifiedBodyBudget(parseByteSize(config.apps.ingress.maxUnverifiedBytes));
  unverifiedBodyBytesGauge(metrics, budget);
  const { botName } = config.github;
  // Lower-case names already warned about: once per repository per process is enough to act on, and
  // a busy unconfigured repository must not flood the log.
  const warnedRepositories = new Set<string>();

  /** A verified webhook of a repository staging does not compose: 202, counted, and said once. */
  const ignoreRepository = (res: ServerResponse, name: string, deliveryId: string, repository: string) => {
    const lower = repository.toLowerCase();
    instruments.ignored.inc({ event: name, reason: 'other_repository' });
    instruments.ignoredRepositories.inc({ repository: lower });
    countIgnoredRepository(repository);
    if (!warnedRepositories.has(lower)) {
      warnedRepositories.add(lower);
      logger.warn(
        { deliveryId, event: name, repository, configured: configuredList },
        `webhooks from ${repository} are ignored: it is not in repositories: (${configuredList}). Add it there to stage it, or remove the GitHub App or webhook from it; \`stagecraft status\` counts them (said once per repository)`,
      );
    }
    sendJson(res, 202, { ignored: `repository ${repository} is not configured (repositories: ${configuredList})` });
  };

  const reject = (
    res: ServerResponse,
    status: number,
    reason: RejectReason,
    error: string,
    detail: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => {
    instruments.rejected.inc({ reason });
    logger.warn({ status, reason, ...detail }, `webhook rejected: ${error}`);
    sendJson(res, status, { error }, headers);
  };

  return async function handleWebhook(req, res) {
    const name = header(req, 'x-github-event');
    const deliveryId = header(req, 'x-github-delivery');
    const signature = header(req, 'x-hub-signature-256');
    if (!name || !deliveryId) {
      return reject(res, 400, 'missing_headers', 'X-GitHub-Event and X-GitHub-Delivery are required');
    }
    if (!EVENT_NAME.test(name) || !DELIVERY_ID.test(deliveryId) || INTEGER.test(deliveryId)) {
      return reject(res, 400, 'missing_headers', 'X-GitHub-Event or X-GitHub-Delivery is not what GitHub sends', { deliveryId });
    }
    // Unsigned requests are turned away before their body is read.
    if (!signature) return reject(res, 401, 'signature', 'X-Hub-Signature-256 is missing', { deliveryId });

    let body: Buffer;
    try {
      body = await readBody(req, limitBytes, budget);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        // The rest of the body is not read, so the connection cannot carry another request.
        return reject(res, 413, 'too_large', `the body is larger than ${config.apps.ingress.bodyLimit}`, { deliveryId }, { connection: 'close' });
      }
      if (err instanceof UnverifiedBytesCapReachedError) {
        return reject(res, 503, 'unverified_bytes_cap', 'too many webhook bodies are arriving at once; retry later', { deliveryId, err: err.message }, {
          connection: 'close',
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      if (requestTimedOut(req)) {
        // node:http has already answered 408 and closed the connection (server.requestTimeout).
        instruments.rejected.inc({ reason: 'timeout' });
        logger.warn({ status: 408, reason: 'timeout', deliveryId }, 'webhook rejected: the body did not arrive within apps.ingress.requestTimeout');
        return;
      }
      return reject(res, 400, 'malformed', (err as Error).message, { deliveryId });
    }
    let verified: boolean;
    try {
      verified = await verifyWebhookSignature(secret, body, signature);
    } finally {
      budget.giveBack(body.length);
    }
    if (!verified) {
      return reject(res, 401, 'signature', 'X-Hub-Signature-256 does not match the body and the configured secret', { deliveryId });
    }
    instruments.received.inc({ event: name });

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return reject(res, 400, 'malformed', 'the body is not JSON; set the webhook content type to application/json', {
        deliveryId,
        contentType: header(req, 'content-type'),
      });
    }

    // Before normalizing: a repository that is not configured is ignored whatever the event, so its
    // count says how much GitHub sends from it, and its payloads are never parsed further.
    const repository = webhookRepository(payload);
    const configured = repository === null ? null : configuredName(repository);
    if (repository !== null && configured === null) return ignoreRepository(res, name, deliveryId, repository);

    let result: ReturnType<typeof normalizeWebhook>;
    try {
      result = normalizeWebhook({ name, deliveryId, receivedAt: Date.now(), payload, botName });
    } catch (err) {
      if (!(err instanceof MalformedWebhookError)) throw err;
      return reject(res, 400, 'malformed', err.message, { deliveryId, event: name });
    }
    if ('ignored' in result) {
      instruments.ignored.inc({ event: name, reason: result.reason });
      // Someone editing another's comment to add a command is worth an operator's eye; other ignores are routine.
      const level = result.reason === 'edited_by_other' ? 'warn' : 'debug';
      logger[level]({ deliveryId, event: name, reason: result.ignored }, 'webhook ignored');
      return sendJson(res, 202, { ignored: result.ignored });
    }
    const { event } = result;
    // Only an empty repository.full_name gets here without a configured repository.
    if (configured === null) return reject(res, 400, 'malformed', 'repository.full_name: expected "owner/name"', { deliveryId, event: name });
    if (event.kind === 'checks' && !requiresChecks(configured)) {
      instruments.ignored.inc({ event: name, reason: 'checks_not_required' });
      return sendJson(res, 202, { ignored: `${configured} requires no checks (compose.requireChecks)` });
    }
    // Every event of a repository carries its name as configured (the webhook may spell it in another case).
    event.repo = configured;

    const stopTimer = instruments.enqueueSeconds.startTimer();
    try {
      await enqueue(event);
    } catch (err) {
      return reject(
        res,
        503,
        'redis_unavailable',
        'the event could not be stored; retry later',
        { deliveryId, err: err instanceof Error ? err.message : String(err) },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
    stopTimer();
    logger.debug({ deliveryId, event: name, kind: event.kind }, 'webhook queued');
    return sendJson(res, 202, { queued: deliveryId });
  };
}

function requestTimedOut(req: IncomingMessage): boolean {
  return (req.socket.errored as NodeJS.ErrnoException | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
