import { describe, expect, it } from '@jest/globals';
import type { RepositoryConfig } from '@stagecraft/config';
import { pickWebhookRepository } from './pick-webhook-repository.js';

const compose = { skipLabel: 'staging-skip', maxAge: 1_209_600_000, requireChecks: [] };
const repositories: RepositoryConfig[] = [
  { name: 'acme/api', mainBranch: 'main', stagingBranch: 'staging', compose },
  { name: 'acme/Core', mainBranch: 'trunk', stagingBranch: 'staging', compose },
];

describe('pickWebhookRepository', () => {
  it('is the first configured repository when --repo is not given', () => {
    expect(pickWebhookRepository(null, repositories)).toEqual({ name: 'acme/api', mainBranch: 'main', configured: true });
  });

  it('is the configured repository --repo names, spelled as configured, with its own main branch', () => {
    expect(pickWebhookRepository('ACME/core', repositories)).toEqual({ name: 'acme/Core', mainBranch: 'trunk', configured: true });
  });

  it('lets a repository that is not configured through, so ingress can be seen ignoring it', () => {
    expect(pickWebhookRepository('acme/other', repositories)).toEqual({ name: 'acme/other', mainBranch: 'main', configured: false });
  });
});
