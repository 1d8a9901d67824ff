import { buildWebhook, type WebhookPayload } from '@stagecraft/webhooks';
import type { CliCommand } from './cli-command.js';

export interface CommandWebhookContext {
  /** `owner/name`: a configured repository (repositories[].name) or, to see ingress ignore it, any other. */
  repository: string;
  /** That repository's main branch: pushes go to it, pull requests target it. */
  mainBranch: string;
  /** Pushed commit (push) or the PR's head commit (pull_request). */
  sha: string;
  /** Comment text (issue_comment). */
  body: string;
}

/** The command line's webhook about the chosen repository; an option not given keeps the builder's default. */
export function webhookForCommand(
  cmd: Extract<CliCommand, { name: 'send-webhook' }>,
  f: CommandWebhookContext,
): WebhookPayload {
  const author = cmd.author ?? undefined;
  const number = cmd.pr ?? 1;
  switch (cmd.event) {
    case 'push':
      return buildWebhook('push', { repository: f.repository, branch: f.mainBranch, sha: f.sha, author, ...(cmd.paths !== null ? { paths: cmd.paths } : {}) });
    case 'pull_request':
      return buildWebhook('pull_request', { repository: f.repository, action: cmd.action ?? 'opened', number, sha: f.sha, author, base: f.mainBranch });
    case 'issue_comment':
      return buildWebhook('issue_comment', { repository: f.repository, action: cmd.action ?? 'created', number, body: f.body, author });
  }
}

