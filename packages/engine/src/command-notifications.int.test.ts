import { afterEach, describe, expect, it } from '@jest/globals';
import { startEngineHarness, type EngineHarness } from './test-support/engine-harness.js';
import { GatedExecutor } from './test-support/gated-executor.js';
import { commandEvent } from './test-support/events.js';

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
    const jobs = await h.notificationJobs();
    expect(jobs).toEqual([
      expect.objectContaining({ id: 'react.501', type: 'reaction', commentId: 501, content: 'eyes' }),
      expect.objectContaining({ id: 'react.502', type: 'reaction', commentId: 502 }),
      expect.objectContaining({ id: `reply.${deploy.id}`, type: 'reply', issue: 42, body: 'Started a partial cycle now (staging-1).' }),
      expect.objectContaining({ type: 'reply', issue: 42, body: expect.stringContaining('@mallory nothing ran: only maintainers may trigger') }),
    ]);
  });
});
