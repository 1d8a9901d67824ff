import { sign } from '@octokit/webhooks-methods';

/** The X-Hub-Signature-256 value GitHub would send for this body: `sha256=<hex hmac>`. */
export function signWebhook(secret: string, body: string): Promise<string> {
  return sign(secret, body);
}
