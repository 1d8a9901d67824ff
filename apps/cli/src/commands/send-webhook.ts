import { randomBytes } from 'node:crypto';
import { loadConfig } from '@stagecraft/config';
import { sampleWebhook } from '@stagecraft/webhooks';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { CliFailure } from '../errors/cli-failure.js';
import { LOCAL_SECRET_FILES, readLocalSecret } from '../local-secrets.js';
import { postWebhook } from '../post-webhook.js';
import { findRepoRoot } from '../repo-root.js';
import { resolveConfigPath } from '../resolve-config-path.js';
import { webhookOverrides } from '../webhook-overrides.js';

/** `stagecraft send-webhook`: a real example payload, made about this repository, signed and posted. */
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
  const { payload } = sampleWebhook(
    cmd.event,
    webhookOverrides(cmd.event, {
      repository: config.github.repository,
      mainBranch: config.github.mainBranch,
      sha,
      pr: cmd.pr ?? 1,
      author: cmd.author,
      body: cmd.body ?? `@${config.github.botName} deploy`,
      paths: cmd.paths,
    }),
    cmd.action ?? undefined,
  );

  const posted = await postWebhook(url, secret, cmd.event, payload);
  io.out(`${describe(cmd.event, payload)}\n`);
  io.out(`POST ${url} (delivery ${posted.deliveryId}) → ${posted.status} ${posted.statusText}\n`);
  if (posted.body) io.out(`${posted.body}\n`);
  return posted.status >= 200 && posted.status < 300 ? 0 : 1;
}

function describe(event: string, p: any): string {
  switch (event) {
    case 'push':
      return `push to ${p.ref} at ${p.after} by ${p.pusher?.name}, files: ${[...p.head_commit.added, ...p.head_commit.modified, ...p.head_commit.removed].join(', ') || 'none'}`;
    case 'pull_request':
      return `pull_request ${p.action} #${p.number} by ${p.pull_request.user.login}, head ${p.pull_request.head.sha}`;
    default:
      return `issue_comment ${p.action} on #${p.issue.number} by ${p.comment.user.login}: ${JSON.stringify(p.comment.body)}`;
  }
}
