import { describe, expect, it } from '@jest/globals';
import { normalizeWebhook } from '@stagecraft/webhooks';
import type { CliCommand } from './cli-command.js';
import { webhookForCommand, type CommandWebhookContext } from './webhook-for-command.js';

const SHA = 'f'.repeat(40);
const context: CommandWebhookContext = { repository: 'acme/shop', mainBranch: 'trunk', sha: SHA, body: '@stagecraft trigger' };
type SendWebhook = Extract<CliCommand, { name: 'send-webhook' }>;
const command = (event: SendWebhook['event'], options: Partial<SendWebhook> = {}): SendWebhook => ({
  name: 'send-webhook',
  event,
  repo: null,
  configPath: null,
  url: null,
  secret: null,
  pr: 42,
  sha: null,
  author: 'alice',
  body: null,
  paths: null,
  action: null,
  checkName: null,
  conclusion: null,
  checkStatus: null,
  state: null,
  ...options,
});

/** What the ingress will make of it: the payload must pass the real normalizer. */
function normalized(cmd: ReturnType<typeof command>) {
  const payload = webhookForCommand(cmd, context);
  const result = normalizeWebhook({ name: cmd.event, deliveryId: 'd-1', receivedAt: 1, payload, botName: 'stagecraft' });
  if (!('event' in result)) throw new Error(`ignored: ${result.ignored}`);
  return result.event as Record<string, unknown>;
}

describe('webhookForCommand', () => {
  it('makes a push to the main branch of the configured repository, modifying the given paths', () => {
    expect(normalized(command('push', { paths: ['src/api/server.ts', 'tests/list.txt'] }))).toMatchObject({
      kind: 'push', repo: 'acme/shop', ref: 'refs/heads/trunk', sha: SHA, author: 'alice', paths: ['src/api/server.ts', 'tests/list.txt'],
    });
  });

  it("keeps the builder's file and pusher when none are given", () => {
    expect(normalized(command('push', { author: null }))).toMatchObject({ author: 'Codertocat', paths: ['README.md'] });
  });

  it.each([null, 'synchronize', 'reopened'])('makes a ready pull request against main (action %s)', (action) => {
    expect(normalized(command('pull_request', { action }))).toMatchObject({
      kind: 'pull_request', action: action ?? 'opened', pr: 42, sha: SHA, author: 'alice', baseRef: 'trunk', draft: false, repo: 'acme/shop',
    });
  });

  it('makes a command comment on the pull request', () => {
    expect(normalized(command('issue_comment'))).toMatchObject({ kind: 'command', command: 'trigger', by: 'alice', pr: 42, isPullRequest: true, repo: 'acme/shop' });
  });

  it('makes a completed check run on the commit: its name and conclusion are what the required checks are judged by', () => {
    const event = normalized(command('check_run', { checkName: 'ci/build', conclusion: 'failure' }));
    expect(event).toMatchObject({ kind: 'checks', source: 'check_run', repo: 'acme/shop', sha: SHA, checks: [{ type: 'run', name: 'ci/build', state: 'failed' }] });
    expect(webhookForCommand(command('check_run', { conclusion: 'success' }), context)).toMatchObject({ action: 'completed', check_run: { name: 'ci/build', status: 'completed', conclusion: 'success', pull_requests: [{ number: 42 }] } });
  });

  it('makes a check run still going when no conclusion is given', () => {
    expect(normalized(command('check_run', { checkName: 'lint', checkStatus: 'in_progress' }))).toMatchObject({ kind: 'checks', checks: [{ name: 'lint', state: 'pending' }] });
    expect(webhookForCommand(command('check_run', { pr: null }), context)).toMatchObject({ action: 'created', check_run: { status: 'queued', conclusion: null, pull_requests: [] } });
  });

  it.each<[SendWebhook['state'], string]>([
    ['failure', 'failed'],
    ['pending', 'pending'],
    [null, 'green'],
  ])('makes a commit status of the context on the commit (state %s)', (state, judged) => {
    expect(normalized(command('status', { checkName: 'ci/jenkins', state }))).toMatchObject({ kind: 'checks', source: 'status', sha: SHA, checks: [{ type: 'status', name: 'ci/jenkins', state: judged }] });
  });
});
