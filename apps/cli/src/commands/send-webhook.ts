import { randomBytes } from 'node:crypto';
import { loadConfig } from '@stagecraft/config';
import type { WebhookPayload } from '@stagecraft/webhooks';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { CliFailure } from '../errors/cli-failure.js';
import { LOCAL_SECRET_FILES, readLocalSecret, resolveConfigPath } from '@stagecraft/launcher';
import { pickWebhookRepository } from '../pick-webhook-repository.js';
import { postWebhook } from '../post-webhook.js';
import { findRepoRoot } from '../repo-root.js';
import { webhookForCommand } from '../webhook-for-command.js';

/**
 * `stagecraft send-webhook`: a payload shaped like GitHub's, about a repository (--repo, else the
 * first configured), signed and posted; check_run and status report a check on a commit (--sha).
 */
export async function sendWebhookCommand(cmd: Extract<CliCommand, { name: 'send-webhook' }>, io: CliIo): Promise<number> {
  const path = resolveConfigPath(cmd.configPath, io.env, io.cwd, findRepoRoot());
  const config = loadConfig({ ...(path !== null ? { path } : {}), env: io.env });
  const secret =
    cmd.secret ??
    (io.env['GITHUB_WEBHOOK_SECRET'] || null) ??
    readLocalSecret(io.cwd, LOCAL_SECRET_FILES.webhookSecret) ??
    (config.github.webhookSecret.isSet ? config.github.webhookSecret.reveal() : null);
  if (secret === null) {
    throw new CliFailure(
      `no webhook secret to sign with: pass --secret, set GITHUB_WEBHOOK_SECRET, or run this where \`stagecraft demo\` wrote ${LOCAL_SECRET_FILES.webhookSecret}`,
    );
  }
  const url = cmd.url ?? `http://127.0.0.1:${config.apps.ingress.port}/webhooks`;
  const sha = cmd.sha ?? randomBytes(20).toString('hex');
  const repository = pickWebhookRepository(cmd.repo, config.repositories);
  const payload = webhookForCommand(cmd, {
    repository: repository.name,
    mainBranch: repository.mainBranch,
    sha,
    body: cmd.body ?? `@${config.github.botName} deploy`,
  });

  const posted = await postWebhook(url, secret, cmd.event, payload);
  if (!repository.configured) {
    const configured = config.repositories.map((r) => r.name).join(', ');
    io.out(`${repository.name} is not in repositories: (${configured}): the ingress answers 202, ignores it and counts it (\`stagecraft status\` shows the count)\n`);
  }
  io.out(`${repository.name}: ${describe(cmd.event, payload)}\n`);
  io.out(`POST ${url} (delivery ${posted.deliveryId}) → ${posted.status} ${posted.statusText}\n`);
  if (posted.body) io.out(`${posted.body}\n`);
  return posted.status >= 200 && posted.status < 300 ? 0 : 1;
}

function describe(event: string, p: WebhookPayload): string {
  switch (event) {
    case 'push':
      return `push to ${p.ref} at ${p.after} by ${p.pusher?.name}, files: ${[...p.head_commit.added, ...p.head_commit.modified, ...p.head_commit.removed].join(', ') || 'none'}`;
    case 'pull_request':
      return `pull_request ${p.action} #${p.number} by ${p.pull_request.user.login}, head ${p.pull_request.head.sha}`;
    case 'check_run':
      return `check_run ${p.action} ${p.check_run.name} on ${p.check_run.head_sha}: ${p.check_run.status === 'completed' ? p.check_run.conclusion : p.check_run.status}`;
    case 'status':
      return `status ${p.context} on ${p.sha}: ${p.state}`;
    default:
      return `issue_comment ${p.action} on #${p.issue.number} by ${p.comment.user.login}: ${JSON.stringify(p.comment.body)}`;
  }
}
