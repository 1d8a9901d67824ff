import type { Metrics } from '@stagecraft/telemetry';

export type RejectReason =
  | 'signature'
  | 'malformed'
  | 'missing_headers'
  | 'too_large'
  | 'redis_unavailable'
  | 'timeout'
  | 'unverified_bytes_cap';

type Counter = ReturnType<Metrics['counter']>;
type Histogram = ReturnType<Metrics['histogram']>;

export interface IngressMetrics {
  received: Counter;
  rejected: Counter;
  ignored: Counter;
  ignoredRepositories: Counter;
  enqueueSeconds: Histogram;
  batchSize: Histogram;
}

/** The ingress's instruments on an app's registry (the registry creates each metric once). */
export function ingressMetrics(metrics: Metrics): IngressMetrics {
  return {
    received: metrics.counter('stagecraft_webhooks_received_total', 'Correctly signed webhooks received, by X-GitHub-Event', ['event']),
    rejected: metrics.counter('stagecraft_webhooks_rejected_total', 'Webhooks answered with an error, by reason', ['reason']),
    ignored: metrics.counter('stagecraft_webhooks_ignored_total', 'Webhooks accepted without enqueuing anything, by event and reason', ['event', 'reason']),
    // Counted only once the signature verified, so its label values are repositories GitHub itself
    // sends for this App or webhook: the cardinality is bounded by where it is installed.
    ignoredRepositories: metrics.counter(
      'stagecraft_ingress_ignored_webhooks_total',
      'Correctly signed webhooks from repositories not in repositories: (lower-case owner/name), answered 202 and ignored',
      ['repository'],
    ),
    enqueueSeconds: metrics.histogram(
      'stagecraft_webhook_enqueue_seconds',
      'Time from a verified webhook to its event being stored in Redis',
      [],
      [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5],
    ),
    batchSize: metrics.histogram(
      'stagecraft_webhook_enqueue_batch_size',
      'Events written per Redis addBulk call',
      [],
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    ),
  };
}

/** stagecraft_webhook_unverified_body_bytes: what the budget holds, read on every scrape. */
export function unverifiedBodyBytesGauge(metrics: Metrics, budget: { readonly heldBytes: number }): void {
  metrics.gauge('stagecraft_webhook_unverified_body_bytes', 'Bytes of webhook bodies received and not yet verified, against apps.ingress.maxUnverifiedBytes', [], function collect() {
    this.set(budget.heldBytes);
  });
}
