import type { IgnoredRepository } from './status-types.js';

/** "ignored 12 webhooks from acme/other", one line per repository, and what to do about it; nothing when ingress ignored nothing. */
export function formatIgnoredRepositories(ignored: readonly IgnoredRepository[]): string[] {
  if (ignored.length === 0) return [];
  return [
    'webhooks from repositories not in repositories: (add one there to stage it, or remove the GitHub App or webhook from it)',
    ...ignored.map((r) => `  ignored ${r.webhooks} webhook${r.webhooks === 1 ? '' : 's'} from ${r.repository}`),
  ];
}
