import { z } from 'zod';

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
  /** Bring the cycle's check runs, PR comments and deployments up to date with its record. */
  z.object({
    type: z.literal('cycle'),
    key: z.string(),
    installationId: z.number().int().nullable(),
    cycleId: z.string().min(1),
  }),
]);
export type NotificationJob = z.infer<typeof notificationJobSchema>;
