import { buildWebhook, type WebhookPayload } from '@stagecraft/webhooks';
import type { CliCommand } from './cli-command.js';

export interface CommandWebhookContext {
  /** `owner/name`: a configured repository (repositories[].name) or, to see ingress ignore it, any other. */
  repository: string;
  /** That repository's main branch: pushes go to it, pull requests target it. */
  mainBranch: string;
  /** Pushed commit (push), the PR's head commit (pull_request), or the commit checked (check_run, status). */
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
    case 'check_run': {
      // A conclusion is how a completed run ended; a run given neither is one just created (queued).
      const status = cmd.checkStatus ?? (cmd.conclusion !== null ? 'completed' : undefined);
      return buildWebhook('check_run', {
        repository: f.repository,
        action: cmd.action ?? (status === 'completed' ? 'completed' : 'created'),
        sha: f.sha,
        author,
        ...(cmd.checkName !== null ? { name: cmd.checkName } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(cmd.conclusion !== null ? { conclusion: cmd.conclusion } : {}),
        // GitHub lists the PRs whose head the commit is; the scheduler finds them by the head itself.
        ...(cmd.pr !== null ? { pullRequests: [cmd.pr] } : {}),
      });
    }
    case 'status':
      return buildWebhook('status', { repository: f.repository, sha: f.sha, author, ...(cmd.checkName !== null ? { context: cmd.checkName } : {}), ...(cmd.state !== null ? { state: cmd.state } : {}) });
  }
}

