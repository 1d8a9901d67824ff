import type { NotificationJob } from '@stagecraft/queue';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';

/** What answers a command: the 👀 on its comment, or a reply on its PR. */
export type CommandNotification = Extract<NotificationJob, { type: 'reaction' | 'reply' }>;

/**
 * Posts one command notification in the repository the command came from (`job.repo`, through the
 * installation its webhook came with): a reaction on the command's comment, or a reply on the PR.
 */
export async function postNotification(github: RepositoryClientSource, job: CommandNotification): Promise<void> {
  const { name } = configuredRepository(github, job.repo);
  const client = await github.clientFor(name, job.installationId);
  const repo = repositoryCoordinates(name);
  switch (job.type) {
    case 'reaction':
      await client.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: job.commentId, content: job.content });
      return;
    case 'reply':
      await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: job.issue, body: job.body });
      return;
  }
}
