import type { RepositoryConfig } from '@stagecraft/config';
import { sameRepository } from '@stagecraft/policy';

/** The repository a sent webhook is about. */
export interface WebhookRepository {
  /** `owner/name`: as configured when it is configured, else as asked. */
  name: string;
  mainBranch: string;
  /** False for a repository not in repositories:, whose webhooks ingress counts and ignores. */
  configured: boolean;
}

/**
 * `--repo` (any letter case), else the first configured repository. A repository that is not
 * configured is allowed, to see ingress ignore and count it; its branch is GitHub's default name,
 * since ingress ignores the webhook whatever it says.
 */
export function pickWebhookRepository(asked: string | null, repositories: readonly RepositoryConfig[]): WebhookRepository {
  const found = asked === null ? repositories[0] : repositories.find((r) => sameRepository(r.name, asked));
  if (found) return { name: found.name, mainBranch: found.mainBranch, configured: true };
  return { name: asked!, mainBranch: 'main', configured: false };
}
