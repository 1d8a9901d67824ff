import type { WebhookName } from './cli-command.js';

export interface WebhookFields {
  /** `owner/name` from config github.repository. */
  repository: string;
  mainBranch: string;
  /** Pushed commit (push) or the PR's head commit (pull_request). */
  sha: string;
  pr: number;
  /** Pusher, PR author or commenter; null keeps the example's (Codertocat). */
  author: string | null;
  /** Comment text (issue_comment). */
  body: string;
  /** Files the pushed commit modified; null keeps the example's file lists. */
  paths: string[] | null;
}

/**
 * Edits a real example payload from @octokit/webhooks-examples so it is about this repository:
 * the fields the ingress reads are set, everything else stays as GitHub sent it.
 */
export function webhookOverrides(event: WebhookName, f: WebhookFields): (payload: any) => void {
  return (p) => {
    const [owner = f.repository, name = f.repository] = f.repository.split('/');
    p.repository.full_name = f.repository;
    p.repository.name = name;
    if (p.repository.owner) p.repository.owner.login = owner;
    if (f.author !== null) p.sender.login = f.author;

    switch (event) {
      case 'push': {
        p.ref = `refs/heads/${f.mainBranch}`;
        p.before = p.after ?? p.before;
        p.after = f.sha;
        if (f.author !== null) p.pusher = { ...p.pusher, name: f.author };
        const template = p.head_commit ?? p.commits?.[0] ?? {};
        const commit = {
          ...template,
          id: f.sha,
          ...(f.paths !== null ? { added: [], removed: [], modified: f.paths } : {}),
        };
        p.commits = [commit];
        p.head_commit = commit;
        p.compare = `https://github.com/${f.repository}/compare/${String(p.before).slice(0, 12)}...${f.sha.slice(0, 12)}`;
        break;
      }
      case 'pull_request': {
        p.number = f.pr;
        const pr = p.pull_request;
        pr.number = f.pr;
        pr.state = 'open';
        pr.draft = false;
        pr.merged = false;
        pr.head.sha = f.sha;
        pr.base.ref = f.mainBranch;
        // GitHub stamps the update time on every PR event; the example's (2019) would put the PR
        // past compose.maxAge, out of staging.
        pr.updated_at = new Date().toISOString();
        if (f.author !== null) pr.user.login = f.author;
        break;
      }
      case 'issue_comment': {
        p.issue.number = f.pr;
        p.issue.pull_request ??= {
          url: `https://api.github.com/repos/${f.repository}/pulls/${f.pr}`,
          html_url: `https://github.com/${f.repository}/pull/${f.pr}`,
        };
        p.comment.body = f.body;
        if (f.author !== null) p.comment.user.login = f.author;
        break;
      }
    }
  };
}
