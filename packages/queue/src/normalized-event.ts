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

/** One check a webhook or GitHub's API reports on a commit, as the staging rule reads it. */
export const checkReportSchema = z.object({
  /** A check run, or a commit status (named by its context). */
  type: z.enum(['run', 'status']),
  name: z.string().min(1),
  state: z.enum(['green', 'pending', 'failed']),
  /**
   * When GitHub says it reached this state, epoch ms (a check run's completed_at, else started_at; a
   * status's updated_at): a late delivery of an older state never overwrites a newer one.
   */
  at: z.number().int(),
});

/** A check run, check suite or commit status changed on a commit (`sha`). */
export const checksEventSchema = z.object({
  ...base,
  kind: z.literal('checks'),
  /** The webhook it came as. */
  source: z.enum(['check_run', 'check_suite', 'status']),
  sha: z.string().min(1),
  /** What it reports; empty for a check suite, which names no check (the scheduler reads them from GitHub). */
  checks: z.array(checkReportSchema),
});

export const normalizedEventSchema = z.discriminatedUnion('kind', [
  pushEventSchema,
  pullRequestEventSchema,
  commandEventSchema,
  checksEventSchema,
]);

export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;
export type PushEvent = z.infer<typeof pushEventSchema>;
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
export type CommandEvent = z.infer<typeof commandEventSchema>;
export type ChecksEvent = z.infer<typeof checksEventSchema>;
export type CheckReport = z.infer<typeof checkReportSchema>;
export type CommandName = z.infer<typeof commandNameSchema>;
