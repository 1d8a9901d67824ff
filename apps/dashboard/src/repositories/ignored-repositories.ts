import type { Redis } from 'ioredis';

/** Webhooks ingress ignored from one repository that is not configured. */
export interface IgnoredRepository {
  /** `owner/name`, lower case, as ingress counts it. */
  repository: string;
  webhooks: number;
}

/**
 * What ingress counted in the ignored-repositories hash (keys.ignoredRepositories()), for the
 * overview and the status API: "ignored 12 webhooks from acme/other".
 */
export class IgnoredRepositories {
  readonly #configured: Set<string>;

  constructor(
    private readonly redis: Pick<Redis, 'hgetall'>,
    private readonly key: string,
    configured: readonly string[],
  ) {
    this.#configured = new Set(configured.map((name) => name.toLowerCase()));
  }

  /** Most webhooks first. A repository configured since it was counted is left out: its count is history, not a problem. */
  async list(): Promise<IgnoredRepository[]> {
    const counts = await this.redis.hgetall(this.key);
    return Object.entries(counts)
      .filter(([repository]) => !this.#configured.has(repository))
      .map(([repository, count]) => ({ repository, webhooks: Number(count) }))
      .filter((r) => Number.isSafeInteger(r.webhooks) && r.webhooks > 0)
      .sort((a, b) => b.webhooks - a.webhooks || a.repository.localeCompare(b.repository));
  }
}

/** "ignored 12 webhooks from acme/other": one line per repository. */
export function describeIgnoredRepository(r: IgnoredRepository): string {
  return `ignored ${r.webhooks} webhook${r.webhooks === 1 ? '' : 's'} from ${r.repository}`;
}
