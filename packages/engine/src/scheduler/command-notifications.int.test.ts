import { afterEach, describe, expect, it } from '@jest/globals';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import { commandEvent, pullRequestEvent } from '../testing/events.js';

describe('answers to PR commands', () => {
  let h: EngineHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('acknowledges every command, says what ran, and says why nothing ran for a non-maintainer', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor(), notifications: true });
    const deploy = commandEvent({ by: 'maint', pr: 42, isPullRequest: true, commentId: 501 });
    await h.engine.handleEvent(deploy);
    await h.engine.handleEvent(deploy); // redelivered
    await h.engine.handleEvent(commandEvent({ by: 'mallory', command: 'trigger', pr: 42, isPullRequest: true, commentId: 502 }));
    const all = await h.notificationJobs();
    // The cycle the deploy started is reported on the PR too (the notifier renders it from the record).
    expect(all.filter((j) => j.type === 'cycle').map((j) => j.id)).toEqual(['cycle.staging-1.started']);
    const jobs = all.filter((j) => j.type !== 'cycle');
    expect(jobs).toEqual([
      expect.objectContaining({ id: 'react.501', type: 'reaction', commentId: 501, content: 'eyes' }),
      expect.objectContaining({ id: 'react.502', type: 'reaction', commentId: 502 }),
      expect.objectContaining({ id: `reply.${deploy.id}`, type: 'reply', issue: 42, body: 'Started a partial cycle now (staging-1).' }),
      expect.objectContaining({ type: 'reply', issue: 42, body: expect.stringContaining('@mallory nothing ran: only maintainers may trigger') }),
    ]);
  });

  it('answers help and status', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor({ open: false }), notifications: true });
    await h.engine.handleEvent(commandEvent({ by: 'maint', command: 'trigger', pr: 3, isPullRequest: true, commentId: 600 }));
    const status = commandEvent({ by: 'anyone', command: 'status', pr: 3, isPullRequest: true, commentId: 601 });
    const help = commandEvent({ by: 'anyone', command: 'help', pr: 3, isPullRequest: true, commentId: 602 });
    await h.engine.handleEvent(status);
    await h.engine.handleEvent(help);
    const replies = (await h.notificationJobs()).filter((j) => j.type === 'reply');
    expect(replies.find((j) => j.id === `reply.${status.id}`)).toMatchObject({ body: expect.stringMatching(/^\*\*staging\*\*: running staging-1 \(full, trigger-command\)/) });
    expect(replies.find((j) => j.id === `reply.${help.id}`)).toMatchObject({ body: expect.stringContaining('`@stagecraft trigger` (maintainers)') });
  });

  it('skip: the author or a maintainer takes a PR out of staging until a maintainer deploys it', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor(), notifications: true, settings: { throttleMs: 0 } });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 8, author: 'alice', sha: 's8' }));
    const first = await h.waitFor('a cycle with #8', async () => {
      const c = (await h!.listCycles())[0];
      return c?.state === 'succeeded' ? c : null;
    });
    expect(first.prs).toEqual([{ repo: 'acme/app', number: 8, sha: 's8' }]);

    const stranger = commandEvent({ by: 'mallory', command: 'skip', pr: 8, isPullRequest: true });
    await h.engine.handleEvent(stranger);
    const byAuthor = commandEvent({ by: 'alice', command: 'skip', pr: 8, isPullRequest: true });
    await h.engine.handleEvent(byAuthor);
    const second = await h.waitFor('a cycle without #8', async () => {
      const c = (await h!.listCycles())[1];
      return c?.state === 'succeeded' ? c : null;
    });
    expect(second.prs).toEqual([]);

    await h.engine.handleEvent(commandEvent({ by: 'maint', command: 'deploy', pr: 8, isPullRequest: true }));
    const third = await h.waitFor('a cycle with #8 again', async () => {
      const c = (await h!.listCycles())[2];
      return c?.state === 'succeeded' ? c : null;
    });
    expect(third.prs).toEqual([{ repo: 'acme/app', number: 8, sha: 's8' }]);
    const replies = (await h.notificationJobs()).filter((j) => j.type === 'reply');
    expect(replies.find((j) => j.id === `reply.${stranger.id}`)).toMatchObject({ body: "@mallory nothing changed: only the PR's author or a maintainer may skip it." });
    expect(replies.find((j) => j.id === `reply.${byAuthor.id}`)).toMatchObject({ body: '#8 is left out of staging until a maintainer comments `@stagecraft deploy`.' });
  }, 20_000);
});
