import { describe, it, expect } from '@jest/globals';
import { verify } from '@octokit/webhooks-methods';
import { verifyWebhookSignature } from './verify-webhook-signature.js';
import { signWebhook } from './sign-webhook.js';
import { buildWebhook } from './build-webhook.js';

const secret = 'It\'s a Secret to Everybody';
const body = JSON.stringify(buildWebhook('pull_request'));

describe('verifyWebhookSignature', () => {
  // GitHub's documented test vector: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  it('accepts the signature GitHub documents for its example', async () => {
    await expect(
      verifyWebhookSignature(secret, 'Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'),
    ).resolves.toBe(true);
  });

  it.each([
    ['a Buffer body', async () => [Buffer.from(body), await signWebhook(secret, body)] as const, true],
    ['a string body', async () => [body, await signWebhook(secret, body)] as const, true],
    ['a multi-byte UTF-8 body', async () => {
      const text = JSON.stringify({ title: 'déployer ✓ 🚀' });
      return [Buffer.from(text, 'utf8'), await signWebhook(secret, text)] as const;
    }, true],
    ['a body changed by one byte', async () => [Buffer.from(body.replace('opened', 'closed')), await signWebhook(secret, body)] as const, false],
    ['another secret', async () => [Buffer.from(body), await signWebhook('another secret', body)] as const, false],
    ['a missing header', async () => [Buffer.from(body), undefined] as const, false],
    ['an empty header', async () => [Buffer.from(body), ''] as const, false],
    ['the legacy sha1 header form', async () => [Buffer.from(body), `sha1=${'a'.repeat(40)}`] as const, false],
    ['a header without the sha256= prefix', async () => [Buffer.from(body), (await signWebhook(secret, body)).slice(7)] as const, false],
    ['a truncated digest', async () => [Buffer.from(body), (await signWebhook(secret, body)).slice(0, -2)] as const, false],
    ['a digest with non-hex characters', async () => [Buffer.from(body), `sha256=${'z'.repeat(64)}`] as const, false],
    ['an upper-case digest', async () => [Buffer.from(body), (await signWebhook(secret, body)).toUpperCase()] as const, false],
    ['an empty body', async () => [Buffer.alloc(0), `sha256=${'0'.repeat(64)}`] as const, false],
  ])('%s → %s', async (_case, make, valid) => {
    const [raw, header] = await make();
    await expect(verifyWebhookSignature(secret, raw, header)).resolves.toBe(valid);
  });

  it('refuses to verify with an empty secret', async () => {
    await expect(verifyWebhookSignature('', body, await signWebhook('x', body))).resolves.toBe(false);
  });

  it.each(['first', 'second', 'third'])('agrees with @octokit/webhooks-methods verify (%s body)', async (word) => {
    const text = JSON.stringify({ word, pad: word.repeat(100) });
    const signature = await signWebhook(secret, text);
    await expect(verifyWebhookSignature(secret, Buffer.from(text), signature)).resolves.toBe(await verify(secret, text, signature));
  });
});
