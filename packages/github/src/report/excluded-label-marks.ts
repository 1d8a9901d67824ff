import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';

/** What the notifier keeps of a PR it labelled excluded, until a later cycle takes the PR in again. */
export interface ExcludedLabelMark {
  /** The head the bisection excluded. */
  sha: string;
  /** The failed cycle the bisection looked into, and the stage that failed. */
  origin: string;
  stage: string;
  /** When the bisection excluded it: only a cycle started since then brings the PR back. */
  at: number;
}

// Longer than a PR stays in staging untouched (compose.maxAge, 14 days by default): a PR that comes
// back later than this keeps its label, and a maintainer removes it by hand.
const MARK_TTL_SECONDS = 90 * 24 * 3600;

/** The per-PR marks behind the `stagecraft: excluded` label (key `notify:excluded:<owner/name>#<n>`). */
export class ExcludedLabelMarks {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<StagecraftKeys, 'excludedLabel'>,
  ) {}

  async set(repo: string, pr: number, mark: ExcludedLabelMark): Promise<void> {
    await this.redis.set(this.keys.excludedLabel(repo, pr), JSON.stringify(mark), 'EX', MARK_TTL_SECONDS);
  }

  async get(repo: string, pr: number): Promise<ExcludedLabelMark | null> {
    const raw = await this.redis.get(this.keys.excludedLabel(repo, pr));
    return raw ? (JSON.parse(raw) as ExcludedLabelMark) : null;
  }

  async clear(repo: string, pr: number): Promise<void> {
    await this.redis.del(this.keys.excludedLabel(repo, pr));
  }
}
