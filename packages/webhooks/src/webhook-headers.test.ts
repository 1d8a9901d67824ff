import { describe, it, expect } from '@jest/globals';
import { webhookHeaders } from './webhook-headers.js';

describe('webhookHeaders', () => {
  it('names the event, delivery and signature like GitHub does', () => {
    const headers = webhookHeaders({ name: 'push', deliveryId: 'd-1', signature: 'sha256=abc' });
    expect(headers).toEqual({
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': 'd-1',
      'X-Hub-Signature-256': 'sha256=abc',
      'content-type': 'application/json',
      'User-Agent': expect.stringMatching(/^GitHub-Hookshot\//),
    });
  });
});
