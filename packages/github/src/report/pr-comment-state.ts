import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { CheckRunState } from './upsert-check-run.js';
import { NOTIFIER_RETENTION_SECONDS } from './notifier-retention.js';

/** The marker of a PR's one Stagecraft comment, which cycle reports and waiting notices edit in turn. */
export const PR_COMMENT_MARKER = '<!-- stagecraft:pr-comment -->';

/** The check run a waiting notice put on a PR head, until a cycle's report takes it over. */
export interface WaitingRun {
  sha: string;
  id: number;
  /** GitHub does not reopen a completed check run: a head waiting again gets a new one. */
  completed: boolean;
  /** Hash of what it says, so a notice that changes nothing writes nothing. */
  sig: string;
}

/** What the notifier keeps of a PR's one Stagecraft comment (the `prComment` hash). */
export interface PrCommentFields {
  id: number | null;
  /** Hash of the body it holds. */
  sig: string | null;
  /** The start of the newest cycle whose report it showed (the scheduler's clock; 0: none). */
  cycleAt: number;
  /** When the scheduler found what the newest waiting notice it showed says (its clock; 0: none). */
  waitingAt: number;
  waitingRun: WaitingRun | null;
}

/**
 * The notifier's memory of each PR's Stagecraft comment, shared by the cycle publisher and the
 * waiting notices so neither undoes what the other wrote later: each says when what it shows was
 * true, and the older news gives way. Kept for NOTIFIER_RETENTION_SECONDS after the last write;
 * removed when the PR closes (HeadsStore.forgetPr).
 */
export class PrCommentState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
  ) {}

  async read(repo: string, pr: number): Promise<PrCommentFields> {
    const f = await this.redis.hgetall(this.keys.prComment(repo, pr));
    return {
      id: f['id'] ? Number(f['id']) : null,
      sig: f['sig'] ?? null,
      cycleAt: Number(f['cycleAt'] ?? 0),
      waitingAt: Number(f['waitingAt'] ?? 0),
      waitingRun: f['waitingRun'] ? (JSON.parse(f['waitingRun']) as WaitingRun) : null,
    };
  }

  /** The comment now holds this body (its id and signature), showing news from `at` of a cycle or a waiting notice. */
  async rememberComment(repo: string, pr: number, comment: { id: number; sig: string }, shown: { cycleAt: number } | { waitingAt: number }): Promise<void> {
    await this.write(repo, pr, { id: String(comment.id), sig: comment.sig, ...stringValues(shown) });
  }

  /** A waiting notice's check run on the head, and when what it says was found. */
  async rememberWaitingRun(repo: string, pr: number, run: WaitingRun, waitingAt: number): Promise<void> {
    await this.write(repo, pr, { waitingRun: JSON.stringify(run), waitingAt: String(waitingAt) });
  }

  /** A cycle's report took the waiting run over: a later waiting notice puts a new one on the head. */
  async forgetWaitingRun(repo: string, pr: number): Promise<void> {
    await this.redis.hdel(this.keys.prComment(repo, pr), 'waitingRun');
  }

  private async write(repo: string, pr: number, fields: Record<string, string>): Promise<void> {
    const key = this.keys.prComment(repo, pr);
    await this.redis.multi().hset(key, fields).expire(key, NOTIFIER_RETENTION_SECONDS).exec();
  }
}

/**
 * The waiting run of this head that `next` may edit, or null: none, another head's, or a completed
 * run that `next` would reopen (GitHub keeps a completed run completed).
 */
export function editableWaitingRun(known: WaitingRun | null, sha: string, next: Pick<CheckRunState, 'status'>): number | null {
  if (!known || known.sha !== sha) return null;
  return known.completed && next.status !== 'completed' ? null : known.id;
}

function stringValues(values: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}
