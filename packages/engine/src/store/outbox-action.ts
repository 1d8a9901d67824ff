import type { PolicyAction } from '@stagecraft/policy';
import type { NotificationJob } from '@stagecraft/queue';

/**
 * What a commit leaves to be applied after it: the policy's actions, plus notifications whose
 * content depends on the decision (a command's reaction and answer), so a crash between the
 * commit and applying it neither loses them nor sends them twice.
 */
export type OutboxAction = PolicyAction | { type: 'notify'; job: NotificationJob };
