import { describe, expect, it } from '@jest/globals';
import type { PolicyAction } from '@stagecraft/policy';
import type { CommandEvent } from '@stagecraft/queue';
import { commandReply } from './command-reply.js';
import { commandEvent } from '../testing/events.js';

const start: PolicyAction = {
  type: 'start-cycle',
  cycle: { id: 'staging-4', env: 'staging', kind: 'full', trigger: 'trigger-command', restarts: 0, components: 'all', rebuild: 'all', requestedBy: 'maint', reason: '' },
};

describe('commandReply', () => {
  it.each<[string, 'deploy' | 'trigger', PolicyAction[], string]>([
    ['a started cycle', 'trigger', [start], 'Started a full cycle now (staging-4).'],
    ['a cancelled partial', 'trigger', [{ type: 'cancel-cycle', cycleId: 'staging-3', reason: 'x' }], 'A full cycle runs as soon as staging-3, cancelled for it, has stopped.'],
    ['a queued deploy', 'deploy', [], 'A partial cycle runs right after the cycle in progress.'],
    [
      'an approved head',
      'deploy',
      [{ type: 'approve-head', repo: 'acme/app', pr: 7, sha: 'abcdef123', by: 'maint' }, start],
      'Started a partial cycle now (staging-4). Head abcdef1 of #7 is approved for staging; a later push needs a new `@bot deploy`.',
    ],
    ['a refusal', 'deploy', [{ type: 'refuse-command', command: 'deploy', by: 'eve', reason: 'only maintainers may deploy' }], '@eve nothing ran: only maintainers may deploy. Maintainers may comment `@bot deploy`.'],
  ])('answers %s', (_name, command, actions, expected) => {
    const ev = commandEvent({ command, by: command === 'deploy' && actions[0]?.type === 'refuse-command' ? 'eve' : 'maint' }) as CommandEvent;
    expect(commandReply(ev, actions, 'bot')).toBe(expected);
  });

  it.each<[string, Parameters<typeof commandReply>[3], string]>([
    ['behind a running cycle', { running: { id: 'staging-3' } as never, pending: null }, 'A partial cycle runs right after staging-3, in progress now, has finished.'],
    ['a throttled pending cycle', { running: null, pending: { runAt: Date.UTC(2026, 10, 25, 14, 35), waitingFor: 'throttle' } as never }, 'A partial cycle runs at 14:35:00 UTC, after the throttle (deploys are spaced out).'],
  ])('says when a queued command runs: %s', (_name, after, expected) => {
    expect(commandReply(commandEvent({ command: 'deploy' }) as CommandEvent, [], 'bot', after)).toBe(expected);
  });

  it.each<[string, PolicyAction[], string]>([
    ['a skip', [{ type: 'skip-pr', repo: 'acme/app', pr: 8, by: 'alice' }], '#8 is left out of staging until a maintainer comments `@bot deploy`.'],
    [
      'a refused skip',
      [{ type: 'refuse-command', command: 'skip', by: 'mallory', reason: "only the PR's author or a maintainer may skip it" }],
      "@mallory nothing changed: only the PR's author or a maintainer may skip it.",
    ],
  ])('answers %s', (_name, actions, expected) => {
    expect(commandReply(commandEvent({ command: 'skip', by: 'mallory', pr: 8, isPullRequest: true }) as CommandEvent, actions, 'bot')).toBe(expected);
  });
});
