import { z } from 'zod';

/** A notice about one PR head, posted in the PR's repository (`owner/name`), through the installation its webhook named when known. */
const onPrHead = {
  key: z.string(),
  repo: z.string().min(1),
  installationId: z.number().int().nullable(),
  pr: z.number().int(),
  sha: z.string().min(1),
};

/** What the notifier posts to GitHub. `key` makes a notification happen once, however often it is enqueued. */
export const notificationJobSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reaction'),
    key: z.string(),
    /** The repository (`owner/name`) the comment is in. */
    repo: z.string().min(1),
    installationId: z.number().int().nullable(),
    commentId: z.number().int(),
    content: z.enum(['eyes', '+1', 'confused', 'rocket']),
  }),
  z.object({
    type: z.literal('reply'),
    key: z.string(),
    /** The repository (`owner/name`) of the issue or PR answered. */
    repo: z.string().min(1),
    installationId: z.number().int().nullable(),
    issue: z.number().int(),
    body: z.string().min(1),
  }),
  /** A bisection found that this PR's head breaks staging: comment (failing stage, log tail, how to come back) and label it. */
  z.object({
    type: z.literal('exclusion'),
    ...onPrHead,
    /** The failed cycle the bisection looked into (its failing stage's output is on its record). */
    originCycleId: z.string().min(1),
    stage: z.string().min(1),
    steps: z.number().int().nonnegative(),
  }),
  /** A bisection found that main alone fails: say so on each repository's main head (the bisected cycle's). */
  z.object({
    type: z.literal('main-broken'),
    key: z.string(),
    originCycleId: z.string().min(1),
    stage: z.string().min(1),
    steps: z.number().int().nonnegative(),
  }),
  /**
   * A PR head its required checks keep out of staging (pending, or one failed): its one Stagecraft
   * comment and a check run on the head say what it waits for, until a cycle takes it in.
   */
  z.object({
    type: z.literal('waiting'),
    ...onPrHead,
    /** "waiting for checks: ci/build" or "checks failed: ci/build". */
    reason: z.string().min(1),
    /** pending: it waits; failed: a required check failed, so it stays out until a re-run or a push. */
    checks: z.enum(['pending', 'failed']),
    /** When the scheduler found it (its clock, as a cycle's startedAt): what GitHub shows from later is newer. */
    at: z.number().int(),
  }),
  /** Bring the cycle's check runs, PR comments and deployments up to date with its record. */
  z.object({
    type: z.literal('cycle'),
    key: z.string(),
    installationId: z.number().int().nullable(),
    cycleId: z.string().min(1),
  }),
]);
export type NotificationJob = z.infer<typeof notificationJobSchema>;
