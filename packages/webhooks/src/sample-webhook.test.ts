import { describe, it, expect } from '@jest/globals';
import { sampleWebhook, type SampleWebhookName } from './sample-webhook.js';
import { webhookHeaders } from './webhook-headers.js';
import { UnknownWebhookSampleError } from './errors/unknown-webhook-sample-error.js';

describe('sampleWebhook', () => {
  it.each([
    ['pull_request', undefined, 'opened'],
    ['pull_request', 'synchronize', 'synchronize'],
    ['pull_request', 'closed', 'closed'],
    ['issue_comment', undefined, 'created'],
    ['issue_comment', 'edited', 'edited'],
    ['commit_comment', undefined, 'created'],
  ] as const)('%s with action %s is a real example with action %s', (name, action, expected) => {
    const { payload } = sampleWebhook(name, undefined, action);
    expect(payload.action).toBe(expected);
    expect(payload.repository.full_name).toBe('Codertocat/Hello-World');
    expect(payload.sender.login).toBe('Codertocat');
  });

  it('falls back to the usual example with the asked action when none has it', () => {
    expect(sampleWebhook('pull_request', undefined, 'edited').payload).toMatchObject({ action: 'edited', number: 2 });
  });

  it('gives a branch push with commits', () => {
    const { payload } = sampleWebhook('push');
    expect(payload.ref).toMatch(/^refs\/heads\//);
    expect(payload.commits.length).toBeGreaterThan(0);
  });

  it.each(['push', 'pull_request', 'issue_comment', 'ping'] as SampleWebhookName[])('%s is a deep clone the caller may change', (name) => {
    const first = sampleWebhook(name, (p) => { p.sender.login = 'changed'; });
    expect(first.payload.sender.login).toBe('changed');
    expect(sampleWebhook(name).payload.sender.login).toBe('Codertocat');
  });

  it('names what it has no example of', () => {
    expect(() => sampleWebhook('no_such_event' as SampleWebhookName)).toThrow(UnknownWebhookSampleError);
  });
});

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
