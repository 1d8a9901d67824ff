import { describe, expect, it } from '@jest/globals';
import { parseCliArgs } from './parse-cli-args.js';
import { UsageError } from './errors/usage-error.js';

const SHA = 'a'.repeat(40);
/** What send-webhook's check options are when none is given. */
const NO_CHECK = { checkName: null, conclusion: null, checkStatus: null, state: null };
/** send-webhook's options besides the event's own: none given. */
const SEND_DEFAULTS = { name: 'send-webhook', repo: null, configPath: null, url: null, secret: null, pr: null, author: null, body: null, paths: null, action: null };

describe('parseCliArgs', () => {
  it.each([
    [[], { name: 'help', problem: 'no command given' }],
    [['help'], { name: 'help', problem: null }],
    [['--help'], { name: 'help', problem: null }],
    [['-h'], { name: 'help', problem: null }],
    [['start', '--help'], { name: 'help', problem: null }],
    [['deploy-everything'], { name: 'help', problem: 'unknown command "deploy-everything"' }],
    [['config', 'check'], { name: 'config-check', configPath: null }],
    [['config', 'check', '--config', 'x.yaml'], { name: 'config-check', configPath: 'x.yaml' }],
    [['config', 'check', '-c', 'x.yaml'], { name: 'config-check', configPath: 'x.yaml' }],
    [['simulate', 'h.jsonl'], { name: 'simulate', eventsPath: 'h.jsonl', configPath: null, cycleDurationMs: 600_000 }],
    [
      ['simulate', 'h.jsonl', '--cycle-duration', '90s', '--config', 'c.yaml'],
      { name: 'simulate', eventsPath: 'h.jsonl', configPath: 'c.yaml', cycleDurationMs: 90_000 },
    ],
    [['status'], { name: 'status', configPath: null, url: null, token: null, json: false, cycleId: null }],
    [
      ['status', '--url', 'http://h:9', '--token', 't', '--json', '--cycle', 'staging-3'],
      { name: 'status', configPath: null, url: 'http://h:9', token: 't', json: true, cycleId: 'staging-3' },
    ],
    [['start'], { name: 'start', configPath: null, only: null, replicas: {} }],
    [
      ['start', '--only', 'ingress,scheduler,ingress', '--replicas', 'deploy=2,build=3'],
      { name: 'start', configPath: null, only: ['ingress', 'scheduler'], replicas: { deploy: 2, build: 3 } },
    ],
    [['start', '--replicas', 'deploy=2', '--replicas', 'test-kernel=2'], { name: 'start', configPath: null, only: null, replicas: { deploy: 2, 'test-kernel': 2 } }],
    [
      ['send-webhook', 'push'],
      { name: 'send-webhook', event: 'push', repo: null, configPath: null, url: null, secret: null, pr: null, sha: null, author: null, body: null, paths: null, action: null, ...NO_CHECK },
    ],
    [
      ['send-webhook', 'issue_comment', '--pr', '7', '--author', 'octo', '--body', '@stagecraft deploy', '--secret', 's', '--url', 'http://x/webhooks'],
      { name: 'send-webhook', event: 'issue_comment', repo: null, configPath: null, url: 'http://x/webhooks', secret: 's', pr: 7, sha: null, author: 'octo', body: '@stagecraft deploy', paths: null, action: null, ...NO_CHECK },
    ],
    [
      ['send-webhook', 'pull_request', '--repo', 'acme/core', '--sha', 'a'.repeat(40), '--action', 'synchronize', '--paths', 'src/a.ts, src/b.ts,'],
      { name: 'send-webhook', event: 'pull_request', repo: 'acme/core', configPath: null, url: null, secret: null, pr: null, sha: 'a'.repeat(40), author: null, body: null, paths: ['src/a.ts', 'src/b.ts'], action: 'synchronize', ...NO_CHECK },
    ],
    [
      ['send-webhook', 'check_run', '--sha', SHA, '--name', 'ci/build', '--conclusion', 'success'],
      { ...SEND_DEFAULTS, event: 'check_run', sha: SHA, ...NO_CHECK, checkName: 'ci/build', conclusion: 'success' },
    ],
    [['send-webhook', 'check_run', '--sha', SHA, '--status', 'in_progress', '--pr', '3'], { ...SEND_DEFAULTS, event: 'check_run', sha: SHA, pr: 3, ...NO_CHECK, checkStatus: 'in_progress' }],
    [['send-webhook', 'status', '--sha', SHA, '--name', 'ci/jenkins', '--state', 'failure'], { ...SEND_DEFAULTS, event: 'status', sha: SHA, ...NO_CHECK, checkName: 'ci/jenkins', state: 'failure' }],
    [['demo'], { name: 'demo', configPath: 'examples/stagecraft.yaml', exitAfterCycle: false }],
    [['demo', '--config', 'mine.yaml', '--exit-after-cycle'], { name: 'demo', configPath: 'mine.yaml', exitAfterCycle: true }],
  ])('%j', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expected);
  });

  it.each([
    [['config'], /needs a subcommand/],
    [['config', 'show'], /unknown subcommand "config show"/],
    [['config', 'check', 'extra'], /takes no arguments/],
    [['simulate'], /usage: stagecraft simulate <events.jsonl>/],
    [['simulate', 'a.jsonl', 'b.jsonl'], /one argument, got 2/],
    [['simulate', 'a.jsonl', '--cycle-duration', 'soon'], /--cycle-duration/],
    [['status', '--verbose'], /status: Unknown option '--verbose'/],
    [['status', '--url'], /status: Option '--url <value>' argument missing/],
    [['start', '--only', 'ingress,notifer'], /unknown app "notifer"; the apps are scheduler, compose, build, drain, deploy, test-kernel, notifier, ingress, dashboard/],
    [['start', '--only', ','], /at least one app name/],
    [['start', '--replicas', 'deploy'], /app=count/],
    [['start', '--replicas', 'deploy=0'], /between 1 and 16/],
    [['start', '--replicas', 'web=2'], /unknown app "web"/],
    [['send-webhook'], /usage: stagecraft send-webhook <push\|pull_request\|issue_comment\|check_run\|status>/],
    [['send-webhook', 'check_run', '--name', 'ci/build'], /send-webhook check_run reports a check on a commit: pass --sha/],
    [['send-webhook', 'check_run', '--sha', 'a'.repeat(40), '--conclusion', 'passed'], /--conclusion must be one of success, failure, neutral/],
    [['send-webhook', 'check_run', '--sha', 'a'.repeat(40), '--conclusion', 'failure', '--status', 'queued'], /drop --status queued, or leave out --conclusion/],
    [['send-webhook', 'check_run', '--sha', 'a'.repeat(40), '--state', 'failure'], /send-webhook check_run takes no --state \(it is status's\)/],
    [['send-webhook', 'status', '--sha', 'a'.repeat(40), '--state', 'green'], /--state must be one of pending, success, failure, error/],
    [['send-webhook', 'push', '--name', 'ci/build'], /send-webhook push takes no --name \(it is check_run and status's\)/],
    [['send-webhook', 'release'], /"release" is not one of them/],
    [['send-webhook', 'push', '--pr', '0'], /--pr must be a positive whole number/],
    [['send-webhook', 'push', '--pr', '2x'], /--pr must be a positive whole number/],
    [['send-webhook', 'push', '--sha', 'abc'], /--sha must be a 40-character hex/],
    [['send-webhook', 'push', '--repo', 'core'], /--repo must be "owner\/name", like "octo-org\/service", got "core"/],
    [['demo', '--exit-after-cycle=yes'], /demo:/],
  ])('%j is a usage error', (argv, message) => {
    const attempt = () => parseCliArgs(argv);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('parses the release commands and refuses options a command does not take', () => {
    expect(parseCliArgs(['promote', '--env', 'production', '--release', 'staging-41'])).toMatchObject({ name: 'promotion', action: 'promote', env: 'production', release: 'staging-41', request: null });
    expect(parseCliArgs(['approve', '--request', 'production-p3'])).toMatchObject({ name: 'promotion', action: 'approve', env: null, request: 'production-p3' });
    expect(parseCliArgs(['audit', '--env', 'production', '--json'])).toMatchObject({ name: 'promotion', action: 'audit', json: true });
    expect(parseCliArgs(['releases'])).toMatchObject({ name: 'promotion', action: 'releases' });
    expect(() => parseCliArgs(['approve', '--release', 'staging-1'])).toThrow(/approve takes no --release/);
  });

  it('tells where to look next in every usage error', () => {
    expect(() => parseCliArgs(['status', '--nope'])).toThrow(/Run `stagecraft help`/);
  });
});
