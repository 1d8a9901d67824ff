import { afterEach, describe, expect, it } from '@jest/globals';
import type { StageExecutor } from '@stagecraft/executors';
import { zonedMinuteOfWeek } from '@stagecraft/policy';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { commandEvent } from '../../testing/events.js';
import type { PromotionEnvironment } from './promotion-service.js';

/**
 * The promotions queue's delayed jobs on real Redis and real BullMQ workers, with durations
 * compressed: a request expires when nobody approves it in time, and an approved request waiting
 * out a deny window deploys when the window ends, with no further command.
 */
const MINUTE = 60_000;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const weekTime = (minuteOfWeek: number) => {
  const m = ((minuteOfWeek % (7 * 24 * 60)) + 7 * 24 * 60) % (7 * 24 * 60);
  return `${DAYS[Math.floor(m / (24 * 60))]} ${String(Math.floor((m % (24 * 60)) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const succeeds: StageExecutor = { description: 'succeeds', run: async () => ({ status: 'succeeded', summary: 'ok', details: null, outputTail: [] }) };

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(production: Partial<PromotionEnvironment>, clock: () => number = Date.now) {
  const env: PromotionEnvironment = { approval: true, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 60_000, denyWindows: [], keepReleases: 50, ...production };
  h = await startEngineHarness({
    executor: () => succeeds,
    promotion: { environments: { staging: { ...env, approval: false }, production: env }, roles: { isApprover: async (l) => l === 'boss', isAdmin: async (l) => l === 'root' }, clock },
  });
  await h.releases.record(
    { id: 'staging-3', env: 'staging', cycleKind: 'full', outcome: 'succeeded', mainSha: 'm', stagingSha: 's', repos: [{ repo: 'acme/app', mainSha: 'm', stagingSha: 's' }], prs: [], images: { api: ['reg/api:s'] }, components: ['api'], tests: null, createdAt: clock(), sourceRelease: null },
    50,
  );
  return h;
}

describe('promotion timers', () => {
  it('expires a request nobody approved within requestTtl, and an approve after that is refused', async () => {
    const h = await harness({ approvals: 2, requestTtl: 1_000 });
    const asked = await h.promotions!.promote({ env: 'production', by: 'carol' });
    expect(asked).toMatchObject({ ok: true, request: { state: 'waiting' } });
    const expired = await h.waitFor('the expiry', async () => (await h.promotions!.listRequests('production')).find((r) => r.state === 'expired'), 10_000);
    expect(expired.reason).toBe('not approved within its time (it had 0 of 2 approvals)');
    expect((await h.audit.list({ env: 'production' })).map((e) => e.step)).toEqual(['expired', 'asked']);
    expect(await h.promotions!.approve({ env: 'production', by: 'boss' })).toMatchObject({ ok: false });
    expect(await h.cycles.list({ env: 'production' })).toEqual([]);
  }, 20_000);

  it('deploys an approved request when its deny window ends, on the delayed job alone', async () => {
    // The service's clock is set 5 s before a minute boundary (time enough to start the harness on a
    // loaded machine); the window holds until that boundary.
    const boundary = (Math.ceil(Date.now() / MINUTE) + 1) * MINUTE;
    const offset = boundary - 5_000 - Date.now();
    const clock = () => Date.now() + offset;
    const start = zonedMinuteOfWeek(clock(), 'UTC');
    const h = await harness({ denyWindows: [{ from: weekTime(start), to: weekTime(start + 1), timeZone: 'UTC' }] }, clock);

    const asked = await h.promotions!.promote({ env: 'production', by: 'boss' });
    expect(asked).toMatchObject({ ok: true, request: { state: 'approved', deployAt: boundary } });
    expect(await h.cycles.list({ env: 'production' })).toEqual([]);

    const deployed = await h.waitFor('the deploy after the window', async () => (await h.promotions!.listRequests('production')).find((r) => r.state === 'deployed'), 15_000);
    const cycle = await h.cycles.get(deployed.cycleId!);
    expect(cycle).toMatchObject({ env: 'production', state: 'succeeded', release: { id: 'staging-3' } });
    expect(cycle!.startedAt).toBeGreaterThanOrEqual(boundary);
    expect((await h.audit.list({ env: 'production' })).map((e) => e.step).reverse()).toEqual(['asked', 'delayed', 'deploying', 'deployed']);
  }, 25_000);

  it("lets an admin's override command deploy an approved request inside a deny window, with the reason audited; anyone else's is refused", async () => {
    const now = zonedMinuteOfWeek(Date.now(), 'UTC');
    const h = await harness({ denyWindows: [{ from: weekTime(now - 60), to: weekTime(now + 600), timeZone: 'UTC' }] });
    const asked = await h.promotions!.promote({ env: 'production', by: 'boss' });
    expect(asked).toMatchObject({ ok: true, request: { state: 'approved' } });
    const answer = async (id: string) => h.waitFor(`the answer to ${id}`, async () => h.client.get(h.keys.commandAnswer(id)).then((raw) => (raw ? JSON.parse(raw) : null)), 5_000);

    const refused = commandEvent({ command: 'override', by: 'boss', args: ['hotfix', 'for', 'the', 'outage'] });
    await h.engine.handleEvent(refused);
    expect(await answer(refused.id)).toMatchObject({ ok: false, message: expect.stringContaining('is not an admin (trust.admins)') });
    expect(await h.cycles.list({ env: 'production' })).toEqual([]);

    const override = commandEvent({ command: 'override', by: 'root', args: ['hotfix', 'for', 'the', 'outage'] });
    await h.engine.handleEvent(override);
    expect(await answer(override.id)).toMatchObject({ ok: true });
    const deployed = await h.waitFor('the deploy the override let through', async () => (await h.promotions!.listRequests('production')).find((r) => r.state === 'deployed'), 15_000);
    expect(deployed.override).toMatchObject({ by: 'root', reason: 'hotfix for the outage' });
    expect((await h.audit.list({ env: 'production' })).find((e) => e.step === 'override')?.message).toContain('deny window overridden by @root: hotfix for the outage');
  }, 25_000);
});
