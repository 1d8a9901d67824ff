import { describe, expect, it } from '@jest/globals';
import { describeIgnoredRepository, IgnoredRepositories } from './ignored-repositories.js';

const hash = (counts: Record<string, string>) => ({ hgetall: async () => counts }) as never;

describe('IgnoredRepositories', () => {
  it('lists the counts most first, leaving out repositories configured since they were counted', async () => {
    const ignored = new IgnoredRepositories(hash({ 'acme/other': '12', 'octo/third': '1', 'acme/api': '40', 'acme/more': '12' }), 'k', ['Acme/API']);
    expect(await ignored.list()).toEqual([
      { repository: 'acme/more', webhooks: 12 },
      { repository: 'acme/other', webhooks: 12 },
      { repository: 'octo/third', webhooks: 1 },
    ]);
  });

  it('is empty when ingress ignored nothing', async () => {
    expect(await new IgnoredRepositories(hash({}), 'k', ['acme/api']).list()).toEqual([]);
  });
});

describe('describeIgnoredRepository', () => {
  it.each([
    [12, 'ignored 12 webhooks from acme/other'],
    [1, 'ignored 1 webhook from acme/other'],
  ])('%i', (webhooks, text) => {
    expect(describeIgnoredRepository({ repository: 'acme/other', webhooks })).toBe(text);
  });
});
