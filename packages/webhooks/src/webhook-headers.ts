export interface WebhookHeadersInput {
  name: string;
  deliveryId: string;
  signature: string;
}

/** The headers GitHub sends with a webhook delivery (for tests, demos and benchmarks). */
export function webhookHeaders({ name, deliveryId, signature }: WebhookHeadersInput): Record<string, string> {
  return {
    'X-GitHub-Event': name,
    'X-GitHub-Delivery': deliveryId,
    'X-Hub-Signature-256': signature,
    'content-type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/stagecraft',
  };
}
