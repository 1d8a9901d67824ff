import { z } from 'zod';
import { COMMAND_NAMES } from '@stagecraft/policy';

/**
 * The event as the policy needs it. Ingress stores this instead of the raw webhook body: Redis time
 * per add grows with the job's size, and nothing downstream needs more.
 */
const base = {
  /** X-GitHub-Delivery: the job id, so a redelivery enqueues nothing new. */
  id: z.string().min(1),
  receivedAt: z.number().int(),
  repo: z.string(),
  installationId: z.number().int().nullable(),
};

export const pushEventSchema = z.object({
  ...base,
  kind: z.literal('push'),
  ref: z.string(),
  sha: z.string(),
  before: z.string(),
  author: z.string(),
  /** Files added, modified or removed; null when GitHub truncated the commit list. */
  paths: z.array(z.string()).nullable(),
  /**
   * `repository.pushed_at` in epoch ms: with before → sha it orders pushes to the ref, so a late or
   * re-run push never moves a head back. Null when unknown (events queued before it was recorded).
   */
  pushedAt: z.number().int().nullable().default(null),
});

export const pullRequestEventSchema = z.object({
  ...base,
  kind: z.literal('pull_request'),
  action: z.string(),
  pr: z.number().int(),
  sha: z.string(),
  author: z.string(),
  baseRef: z.string(),
  draft: z.boolean(),
  merged: z.boolean(),
  labels: z.array(z.string()),
  /** The label a `labeled` / `unlabeled` action added or removed; null for other actions. */
  label: z.string().nullable().default(null),
  updatedAt: z.string().nullable(),
});

export const commandNameSchema = z.enum(COMMAND_NAMES);

export const commandEventSchema = z.object({
  ...base,
  kind: z.literal('command'),
  command: commandNameSchema,
  by: z.string(),
  /** The issue/PR number the comment was made on; null on a commit comment. */
  pr: z.number().int().nullable(),
  isPullRequest: z.boolean(),
  commentId: z.number().int(),
  /** A commit comment's SHA (production promotion). */
  sha: z.string().nullable(),
  /** The words after the command (`promote staging-41`, `rollback production staging-40`), when any. */
  args: z.array(z.string()).optional(),
});

export const normalizedEventSchema = z.discriminatedUnion('kind', [
  pushEventSchema,
  pullRequestEventSchema,
  commandEventSchema,
]);

export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;
export type PushEvent = z.infer<typeof pushEventSchema>;
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
export type CommandEvent = z.infer<typeof commandEventSchema>;
export type CommandName = z.infer<typeof commandNameSchema>;
