import type { NormalizedEvent } from '@stagecraft/queue';
import type { Logger, Metrics, healthRoutes } from '@stagecraft/telemetry';

/** Stores one event durably (resolves once it is in Redis); rejects when it cannot. */
export type EventEnqueuer = (event: NormalizedEvent) => Promise<void>;

/** The configuration the ingress reads; a whole StagecraftConfig fits. */
export interface IngressConfig {
  /**
   * `owner/name` each: webhooks from any other repository are answered 202, counted and ignored.
   * Check and status webhooks are queued only for a repository that requires checks.
   */
  repositories: ReadonlyArray<{ name: string; compose?: { requireChecks: readonly string[] | string } }>;
  github: {
    botName: string;
    webhookSecret: { reveal(): string; readonly isSet: boolean };
  };
  apps: { ingress: { bodyLimit: string | number; maxUnverifiedBytes: string | number } };
}

export interface IngressResources {
  config: IngressConfig;
  logger: Logger;
  metrics: Metrics;
  enqueue: EventEnqueuer;
  /** Counts a webhook ignored because its repository is not configured (in Redis; never waited for). */
  countIgnoredRepository: (repository: string) => void;
  readiness: Parameters<typeof healthRoutes>[0]['readiness'];
}
