import type { Metrics } from '@stagecraft/telemetry';
export type RejectReason = 'signature' | 'malformed' | 'missing_headers' | 'too_large' | 'redis_unavailable';
/**
 * The ingress's instruments on an app's metrics registry. Registered once per registry, so the
 * app factory and the batcher wired beside it observe the same series.
 */
export declare function ingressMetrics(metrics: Metrics): {
    received: any;
    rejected: any;
    ignored: any;
    enqueueSeconds: any;
    batchSize: any;
};
export type IngressMetrics = ReturnType<typeof ingressMetrics>;
