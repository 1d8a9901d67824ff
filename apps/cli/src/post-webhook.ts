import { randomUUID } from 'node:crypto';
import { signWebhook, webhookHeaders } from '@stagecraft/webhooks';
import { CliFailure } from './errors/cli-failure.js';

export interface PostedWebhook {
  deliveryId: string;
  status: number;
  statusText: string;
  body: string;
}

/** Signs the payload like GitHub does and posts it with a fresh delivery id. */
export async function postWebhook(url: string, secret: string, name: string, payload: unknown): Promise<PostedWebhook> {
  const body = JSON.stringify(payload);
  const deliveryId = randomUUID();
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: webhookHeaders({ name, deliveryId, signature: await signWebhook(secret, body) }),
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') throw new CliFailure(`nothing answers at ${url}: is \`stagecraft start\` running? (or pass --url)`);
    throw new CliFailure(`could not post the webhook to ${url}: ${code ?? (err as Error).message}`);
  }
  return { deliveryId, status: res.status, statusText: res.statusText, body: await res.text() };
}
