import type { NotificationJob } from '@stagecraft/queue';
import type { GitRequestClient } from '../compose/compose-staging.js';

/** Posts one command notification: a reaction on the command's comment, or a reply on the PR. */
export async function postNotification(client: GitRequestClient, repo: { owner: string; repo: string }, job: Exclude<NotificationJob, { type: 'cycle' }>): Promise<void> {
  switch (job.type) {
    case 'reaction':
      await client.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: job.commentId, content: job.content });
      return;
    case 'reply':
      await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: job.issue, body: job.body });
      return;
  }
}
