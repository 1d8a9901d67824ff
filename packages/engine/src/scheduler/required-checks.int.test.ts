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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const finished = (h: EngineHarness, count: number) =>
  h.waitFor(`${count} finished cycle(s)`, async () => {
    const cycles = await h.listCycles();
    return cycles.filter((c) => c.state !== 'running').length >= count ? cycles : null;
  });
/** Long enough for a change to have started a cycle (settle) after the last finished one (throttle). */
const quiet = (h: EngineHarness) => sleep(h.settings.settleMs + h.settings.throttleMs + 300);
const prsOf = (c: CycleRecord | undefined) => c?.prs.map((p) => `#${p.number}@${p.sha}`);

/** The engine on real Redis, one repository that requires `ci/build`, every stage succeeding; webhooks only (no GitHub App). */
async function start(requireChecks: string[] = ['ci/build']) {
  const gate = new GatedExecutor();
  return startEngineHarness({ executor: () => gate, composeRules: { skipLabel: 'staging-skip', maxAgeMs: 14 * DAY, requireChecks } });
}

describe('required checks, from checks webhooks, on real Redis', () => {
  it('keeps a PR whose required check fails out of staging, and takes it in once a check_run says it passed', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await finished(h, 1);

    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'pending' }]));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]));
    await quiet(h);
    expect(await h.listCycles()).toHaveLength(1);

    // Another change runs a cycle: the PR is not in it, and the cycle's record says why.
    await h.engine.handleEvent(pushEvent());
    const [, second] = await finished(h, 2);
    expect(prsOf(second)).toEqual([]);
    expect(second!.waiting).toEqual([{ repo: 'acme/app', number: 7, sha: 'h7', reason: 'checks failed: ci/build' }]);

    // A re-run passes: the PR joins, as a PR update would make it.
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'green' }]));
    const cycles = await finished(h, 3);
    expect(prsOf(cycles[2])).toEqual(['#7@h7']);
    expect(cycles[2]!.waiting).toEqual([]);
  });

  it('counts a commit status of the required name as well, and waits for every name required', async () => {
    h = await start(['ci/build', 'ci/jenkins']);
    await h.engine.handleEvent(pushEvent());
    await finished(h, 1);
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 8, sha: 'h8' }));
    await h.engine.handleEvent(checksEvent('h8', [{ name: 'ci/build', state: 'green' }]));
    await quiet(h);
    expect(await h.listCycles()).toHaveLength(1);

    await h.engine.handleEvent(checksEvent('h8', [{ name: 'ci/jenkins', state: 'green', type: 'status' }]));
    const cycles = await finished(h, 2);
    expect(prsOf(cycles[1])).toEqual(['#8@h8']);
  });

  it('remembers checks that came before the PR did, and judges a new head by its own checks only', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await finished(h, 1);
    // CI ran on the branch before anyone opened the PR.
    await h.engine.handleEvent(checksEvent('h9', [{ name: 'ci/build', state: 'green' }]));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 9, sha: 'h9' }));
    const cycles = await finished(h, 2);
    expect(prsOf(cycles[1])).toEqual(['#9@h9']);

    // A push to the PR: its new head has no checks yet, so it waits (the old head stays on staging meanwhile).
    await h.engine.handleEvent(pullRequestEvent({ action: 'synchronize', pr: 9, sha: 'h9b' }));
    await quiet(h);
    expect(await h.listCycles()).toHaveLength(2);
    await h.engine.handleEvent(checksEvent('h9b', [{ name: 'ci/build', state: 'green' }]));
    expect(prsOf((await finished(h, 3))[2])).toEqual(['#9@h9b']);
  });

  it('takes a PR out of staging when a required check of its staged head fails, and not again for the same failure', async () => {
    h = await start();
    await h.engine.handleEvent(pushEvent());
    await finished(h, 1);
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'green' }]));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 5, sha: 'h5' }));
    expect(prsOf((await finished(h, 2))[1])).toEqual(['#5@h5']);

    // Someone re-runs the check on the staged head and it fails this time.
    const later = Date.now() + 1000;
    await h.engine.handleEvent(checksEvent('h5', [{ name: 'ci/build', state: 'pending', at: later }]));
    const failure = checksEvent('h5', [{ name: 'ci/build', state: 'failed', at: later + 1000 }]);
    await h.engine.handleEvent(failure);
    const cycles = await finished(h, 3);
    expect(prsOf(cycles[2])).toEqual([]);
    expect(cycles[2]!.waiting).toEqual([{ repo: 'acme/app', number: 5, sha: 'h5', reason: 'checks failed: ci/build' }]);

    // The same delivery again (a redelivery, or the scheduler re-running it) changes nothing more.
    await h.engine.handleEvent(failure);
    await quiet(h);
    expect(await h.listCycles()).toHaveLength(3);
  });

  it('changes nothing, and keeps nothing, for checks of a repository that requires none', async () => {
    h = await start([]);
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]));
    const cycles = await finished(h, 1);
    expect(prsOf(cycles[0])).toEqual(['#7@h7']);
    expect(await h.client.exists(h.keys.headChecks('acme/app', 'h7'))).toBe(0);
  });
});
