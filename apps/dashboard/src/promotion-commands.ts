import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PromotionRequest } from '@stagecraft/policy';
import type { CatalogQueue, CommandEvent, StagecraftKeys } from '@stagecraft/queue';

export type PromotionCommand = 'promote' | 'approve' | 'reject' | 'rollback' | 'override';

/** What the scheduler answered (null: it had not answered within the wait). */
export type SchedulerAnswer = { ok: true; message: string; request: PromotionRequest } | { ok: false; message: string };

export interface PromotionCommandsResources {
  redis: Redis;
  keys: StagecraftKeys;
  events: Pick<CatalogQueue<'events'>, 'add'>;
  /** The repository (`owner/name`) a command names when none is given: the first configured one. */
  repository: string;
  clock: () => number;
  /** How long to wait for the scheduler's answer. */
  answerWaitMs?: number;
}

/**
 * promote/approve/reject/rollback from the dashboard or the CLI: the same command event a PR
 * comment makes (so the scheduler applies the same rules and audits it the same way), then the
 * scheduler's answer, which it keeps in Redis for a while for exactly this.
 */
export class PromotionCommands {
  constructor(private readonly r: PromotionCommandsResources) {}

  /** `repo`: the configured repository the command is about, when the caller names one. */
  async send(command: PromotionCommand, by: string, args: string[], repo?: string): Promise<{ eventId: string; answer: SchedulerAnswer | null }> {
    const event: CommandEvent = {
      kind: 'command',
      id: `dashboard-${randomUUID()}`,
      receivedAt: this.r.clock(),
      repo: repo ?? this.r.repository,
      installationId: null,
      command,
      by,
      pr: null,
      isPullRequest: false,
      commentId: 0,
      sha: null,
      args,
    };
    await this.r.events.add('command', event, { jobId: event.id });
    return { eventId: event.id, answer: await this.answerOf(event.id) };
  }

  private async answerOf(eventId: string): Promise<SchedulerAnswer | null> {
    const until = Date.now() + (this.r.answerWaitMs ?? 15_000);
    while (Date.now() < until) {
      const json = await this.r.redis.get(this.r.keys.commandAnswer(eventId));
      if (json) return JSON.parse(json) as SchedulerAnswer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  }
}
