import { SmeeClient } from 'smee-client';
import type { Logger } from '@stagecraft/telemetry';

/**
 * For development against real GitHub without a public address: GitHub delivers to a smee.io
 * channel and this forwards each delivery, headers and signature included, to the ingress itself
 * (as Probot does with WEBHOOK_PROXY_URL). Never used in production.
 */
export async function startWebhookProxy(opts: { source: string; target: string; logger: Logger }): Promise<{ stop(): Promise<void> }> {
  const log = opts.logger.child({ component: 'webhook-proxy' });
  const client = new SmeeClient({
    source: opts.source,
    target: opts.target,
    logger: {
      info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
      error: (...args: unknown[]) => log.warn(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')),
    },
    maxConnectionTimeout: 30_000,
  });
  await client.start();
  log.warn({ source: opts.source, target: opts.target }, 'forwarding webhooks from a proxy channel: for development only');
  return { stop: () => client.stop() };
}
