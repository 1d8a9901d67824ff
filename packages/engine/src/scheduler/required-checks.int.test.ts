import { afterEach, describe, expect, it } from '@jest/globals';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { checksEvent, pullRequestEvent, pushEvent } from '../testing/events.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import type { CycleRecord } from '../store/cycle-record.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 24 * 3_600_000;
const prsOf = (c: CycleRecord | undefined) => c?.prs.map((p) => `#${p.number}@${p.sha}`);

/**
 * The engine on real Redis, one repository that requires `ci/build`, every stage succeeding;
 * webhooks only (no GitHub App to read checks from), with a notifications queue when asked.
 */
async function start(requireChecks: string[] = ['ci/build'], opts: { notifications?: boolean } = {}) {
  const gate = new GatedExecutor();
  return startEngineHarness({ executor: () => gate, composeRules: { skipLabel: 'staging-skip', maxAgeMs: 14 * DAY, requireChecks }, ...opts });
}
/** The waiting notices queued so far, as `#pr@sha: reason`. */
const waitingNotices = async (h: EngineHarness) =>
  (await h.notificationJobs()).flatMap((j) => (j.type === 'waiting' ? [`#${j.pr}@${j.sha}: ${j.reason}`] : []));

describe('required checks, from checks webhooks, on real Redis', () => {
  it('keeps a PR whose required check fails out of staging, and takes it in once a check_run says it passed', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await h.finishedCycles(1);

    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'pending' }]));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]));
    await h.quiet();
    expect(await h.listCycles()).toHaveLength(1);

    // Another change runs a cycle: the PR is not in it, and the cycle's record says why.
    await h.engine.handleEvent(pushEvent());
    const [, second] = await h.finishedCycles(2);
    expect(prsOf(second)).toEqual([]);
    expect(second!.waiting).toEqual([{ repo: 'acme/app', number: 7, sha: 'h7', reason: 'checks failed: ci/build' }]);

    // A re-run passes: the PR joins, as a PR update would make it.
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'green' }]));
    const cycles = await h.finishedCycles(3);
    expect(prsOf(cycles[2])).toEqual(['#7@h7']);
    expect(cycles[2]!.waiting).toEqual([]);
  });

  it('counts a commit status of the required name as well, and waits for every name required', async () => {
    h = await start(['ci/build', 'ci/jenkins']);
    await h.engine.handleEvent(pushEvent());
    await h.finishedCycles(1);
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 8, sha: 'h8' }));
    await h.engine.handleEvent(checksEvent('h8', [{ name: 'ci/build', state: 'green' }]));
    await h.quiet();
    expect(await h.listCycles()).toHaveLength(1);

    await h.engine.handleEvent(checksEvent('h8', [{ name: 'ci/jenkins', state: 'green', type: 'status' }]));
    const cycles = await h.finishedCycles(2);
    expect(prsOf(cycles[1])).toEqual(['#8@h8']);
  });

  it('remembers checks that came before the PR did, and judges a new head by its own checks only', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await h.finishedCycles(1);
    // CI ran on the branch before anyone opened the PR.
    await h.engine.handleEvent(checksEvent('h9', [{ name: 'ci/build', state: 'green' }]));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 9, sha: 'h9' }));
    const cycles = await h.finishedCycles(2);
    expect(prsOf(cycles[1])).toEqual(['#9@h9']);

    // A push to the PR: its new head has no checks yet, so it waits (the old head stays on staging meanwhile).
    await h.engine.handleEvent(pullRequestEvent({ action: 'synchronize', pr: 9, sha: 'h9b' }));
    await h.quiet();
    expect(await h.listCycles()).toHaveLength(2);
    await h.engine.handleEvent(checksEvent('h9b', [{ name: 'ci/build', state: 'green' }]));
    expect(prsOf((await h.finishedCycles(3))[2])).toEqual(['#9@h9b']);
  });

  it('takes a PR out of staging when a required check of its staged head fails, and not again for the same failure', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await h.finishedCycles(1);
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'green' }]));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 5, sha: 'h5' }));
    expect(prsOf((await h.finishedCycles(2))[1])).toEqual(['#5@h5']);

    // Someone re-runs the check on the staged head and it fails this time.
    const later = Date.now() + 1000;
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'pending', at: later }]));
    const failure = checksEvent('h5', [{ name: 'ci/build', state: 'failed', at: later + 1000 }]);
    await h.engine.handleEvent(failure);
    const cycles = await h.finishedCycles(3);
    expect(prsOf(cycles[2])).toEqual([]);
    expect(cycles[2]!.waiting).toEqual([{ repo: 'acme/app', number: 5, sha: 'h5', reason: 'checks failed: ci/build' }]);

    // The same delivery again (a redelivery, or the scheduler re-running it) changes nothing more.
    await h.engine.handleEvent(failure);
    await h.quiet();
    expect(await h.listCycles()).toHaveLength(3);
  });

  it('changes nothing, and keeps nothing, for checks of a repository that requires none', async () => {
    h = await start([]);
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]));
    const cycles = await h.finishedCycles(1);
    expect(prsOf(cycles[0])).toEqual(['#7@h7']);
    expect(await h.client.exists(h.keys.headChecks('acme/app', 'h7'))).toBe(0);
  });
});

describe('a PR its required checks hold back is told at once', () => {
  it('is told once per head and reason: when its head comes, and when a checks event changes what it waits for', async () => {
    h = await start(['ci/build', 'lint'], { notifications: true });
    const opened = pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' });
    await h.engine.handleEvent(opened);
    await h.engine.handleEvent(opened); // redelivered
    expect(await waitingNotices(h)).toEqual(['#7@h7: waiting for checks: ci/build, lint']);

    // A check that is not required, and a required one still pending, change nothing it is told.
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'coverage', state: 'failed' }]));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'pending' }]));
    expect(await waitingNotices(h)).toHaveLength(1);

    const linted = checksEvent('h7', [{ name: 'lint', state: 'green' }]);
    await h.engine.handleEvent(linted);
    const failed = checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]);
    await h.engine.handleEvent(failed);
    await h.engine.handleEvent(linted);
    await h.engine.handleEvent(failed);
    expect((await waitingNotices(h)).sort()).toEqual(['#7@h7: checks failed: ci/build', '#7@h7: waiting for checks: ci/build', '#7@h7: waiting for checks: ci/build, lint']);
    const jobs = (await h.notificationJobs()).filter((j) => j.type === 'waiting');
    expect(jobs.every((j) => j.id === j.key && j.key.startsWith('waiting.acme/app#7@h7.'))).toBe(true);

    // Green: the PR joins a cycle, whose report takes over; nothing more waits.
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'green' }]));
    expect(prsOf((await h.finishedCycles(1))[0])).toEqual(['#7@h7']);
    expect(await waitingNotices(h)).toHaveLength(3);
  });

  it('tells a staged head that failed through the commit that takes it out, once; a re-run on staging is not news', async () => {
    h = await start(['ci/build'], { notifications: true });
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'green' }]));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 5, sha: 'h5' }));
    expect(prsOf((await h.finishedCycles(1))[0])).toEqual(['#5@h5']);
    expect(await waitingNotices(h)).toEqual([]);

    // Re-run on the staged head: pending keeps it on staging, and it is told nothing.
    const later = Date.now() + 1000;
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'pending', at: later }]));
    expect(await waitingNotices(h)).toEqual([]);

    const failure = checksEvent('h5', [{ name: 'ci/build', state: 'failed', at: later + 1000 }]);
    await h.engine.handleEvent(failure);
    await h.engine.handleEvent(failure); // redelivered: the commit is not made again
    expect(await waitingNotices(h)).toEqual(['#5@h5: checks failed: ci/build']);
    expect(prsOf((await h.finishedCycles(2))[1])).toEqual([]);
  });

  it('tells nothing to a PR another rule keeps out (an untrusted author, a draft, a skip), nor without the GitHub App', async () => {
    h = await start(['ci/build'], { notifications: true });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 1, sha: 'u1', author: 'mallory' }));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 2, sha: 'd2', draft: true }));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 3, sha: 's3', labels: ['staging-skip'] }));
    await h.engine.handleEvent(checksEvent('u1', [{ name: 'ci/build', state: 'failed' }]));
    await h.engine.handleEvent(checksEvent('d2', [{ name: 'ci/build', state: 'failed' }]));
    expect(await waitingNotices(h)).toEqual([]);
    await h.close();

    h = await start(['ci/build']);
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    expect(await waitingNotices(h)).toEqual([]);
  });
});
