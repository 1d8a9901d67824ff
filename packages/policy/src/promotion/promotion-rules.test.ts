import { approvePromotion } from './approve-promotion.js';
import { closePromotion, expirePromotion, isExpired } from './close-promotion.js';
import { newestEligibleRelease, releaseIneligibility } from './release-eligibility.js';
import { requestPromotion } from './request-promotion.js';
import type { PromotionRules, ReleaseFacts } from './promotion-types.js';

const rules: PromotionRules = { approvals: 2, noSelfApproval: true, requestTtlMs: 60_000, requires: 'full' };
const release: ReleaseFacts = { id: 'staging-7', env: 'staging', kind: 'full', passed: true, outcome: 'succeeded', prAuthors: ['alice'] };
const approver = (login: string) => ({ login, isApprover: true });

describe('releaseIneligibility', () => {
  it('accepts a release that passed a full cycle', () => {
    expect(releaseIneligibility(release, 'staging', 'full')).toBeNull();
  });
  it('refuses a release whose cycle failed, saying so', () => {
    expect(releaseIneligibility({ ...release, passed: false, outcome: 'failed' }, 'staging', 'full')).toBe('release staging-7 did not pass staging: its cycle failed');
  });
  it('refuses a partial cycle when a full one is required, and accepts it when partial is enough', () => {
    expect(releaseIneligibility({ ...release, kind: 'partial' }, 'staging', 'full')).toMatch(/passed only a partial staging cycle/);
    expect(releaseIneligibility({ ...release, kind: 'partial' }, 'staging', 'partial')).toBeNull();
  });
  it('picks the newest eligible release', () => {
    const failed = { ...release, id: 'staging-9', passed: false };
    const partial = { ...release, id: 'staging-8', kind: 'partial' as const };
    expect(newestEligibleRelease([failed, partial, release], 'staging', 'full')).toEqual({ release });
    expect(newestEligibleRelease([failed], 'staging', 'full')).toEqual({ reason: 'no release of staging passed a full cycle yet' });
  });
});

describe('requestPromotion and approvePromotion', () => {
  const ask = (login: string, isApprover: boolean) => requestPromotion({ id: 'p1', env: 'production', action: 'promote', release, by: { login, isApprover }, now: 1000 }, rules);

  it('counts an approver asking as one approval', () => {
    const answer = ask('bob', true);
    expect(answer.ok && answer.value).toMatchObject({ state: 'waiting', approvals: [{ by: 'bob', at: 1000 }], required: 2, expiresAt: 61_000 });
  });
  it('does not count the ask of someone who may not approve it', () => {
    const byAuthor = ask('alice', true);
    expect(byAuthor.ok && byAuthor.value.approvals).toEqual([]);
    const byOther = ask('carol', false);
    expect(byOther.ok && byOther.value.approvals).toEqual([]);
  });
  it('needs as many approvals as required: one of two is not enough', () => {
    const asked = ask('carol', false);
    if (!asked.ok) throw new Error(asked.reason);
    const one = approvePromotion(asked.value, approver('bob'), true, 2000);
    expect(one.ok && one.value.state).toBe('waiting');
    if (!one.ok) throw new Error(one.reason);
    const two = approvePromotion(one.value, approver('dave'), true, 3000);
    expect(two.ok && two.value.state).toBe('approved');
  });
  it('refuses a non-approver, a second approval by the same person, self-approval and an expired request', () => {
    const asked = ask('bob', true);
    if (!asked.ok) throw new Error(asked.reason);
    expect(approvePromotion(asked.value, { login: 'mallory', isApprover: false }, true, 2000)).toEqual({ ok: false, reason: '@mallory is not an approver (trust.approvers) and cannot approve production deploys' });
    expect(approvePromotion(asked.value, approver('BOB'), true, 2000)).toEqual({ ok: false, reason: '@BOB already approved request p1' });
    expect(approvePromotion(asked.value, approver('alice'), true, 2000)).toMatchObject({ ok: false, reason: expect.stringMatching(/wrote a PR in release staging-7/) });
    expect(approvePromotion(asked.value, approver('alice'), false, 2000)).toMatchObject({ ok: true });
    expect(approvePromotion(asked.value, approver('dave'), true, 61_000)).toEqual({ ok: false, reason: 'request p1 expired' });
  });
  it('lets only approvers roll back', () => {
    const answer = requestPromotion({ id: 'r1', env: 'production', action: 'rollback', release, by: { login: 'carol', isApprover: false }, now: 0 }, rules);
    expect(answer).toEqual({ ok: false, reason: '@carol is not an approver (trust.approvers) and cannot roll back production' });
  });
});

describe('expiry, reject and cancel', () => {
  const asked = requestPromotion({ id: 'p1', env: 'production', action: 'promote', release, by: { login: 'carol', isApprover: false }, now: 0 }, rules);
  if (!asked.ok) throw new Error(asked.reason);
  const request = asked.value;

  it('expires a waiting request after its time, not before', () => {
    expect(isExpired(request, 59_999)).toBe(false);
    expect(isExpired(request, 60_000)).toBe(true);
    expect(expirePromotion(request, 60_000)).toMatchObject({ state: 'expired', reason: 'not approved within its time (it had 0 of 2 approvals)' });
  });
  it('lets an approver reject, and the asker or an approver cancel', () => {
    expect(closePromotion(request, 'rejected', { login: 'carol', isApprover: false }, null, 1)).toMatchObject({ ok: false });
    expect(closePromotion(request, 'rejected', approver('bob'), 'not today', 1)).toMatchObject({ ok: true, value: { state: 'rejected', reason: 'not today' } });
    expect(closePromotion(request, 'cancelled', { login: 'carol', isApprover: false }, null, 1)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    expect(closePromotion(request, 'cancelled', { login: 'eve', isApprover: false }, null, 1)).toMatchObject({ ok: false });
    expect(closePromotion({ ...request, state: 'deploying', cycleId: 'production-1' }, 'cancelled', approver('bob'), null, 1)).toMatchObject({ ok: false });
  });
});
