import { describe, expect, it } from '@jest/globals';
import { routeEvent, type RouteContext } from './route-event.js';
import { checksVerdict, GREEN_CHECKS } from '@stagecraft/policy';
import { checksEvent, commandEvent, pullRequestEvent, pushEvent } from '../testing/events.js';

const ctx = (over: Partial<RouteContext> = {}): RouteContext => ({
  repository: { name: 'acme/app', mainBranch: 'main', skipLabel: 'staging-skip', maxAgeMs: Number.POSITIVE_INFINITY },
  trust: { maintainers: ['Maint'], trusted: ['alice'], approvers: [] },
  components: [
    { name: 'api', repository: 'acme/app', paths: ['services/api/**'], configPaths: ['services/api/tests/**'] },
    { name: 'web', repository: 'acme/app', paths: ['services/web/**'], configPaths: [] },
  ],
  scopeToRepository: false,
  knownPr: null,
  approvedSha: null,
  ...over,
});

describe('routeEvent: an approved PR pushed again', () => {
  it('takes the PR out of staging until a maintainer approves the new head', () => {
    const routed = routeEvent(pullRequestEvent({ author: 'stranger', sha: 'new' }), ctx({ approvedSha: 'old' }));
    expect(routed.policy).toMatchObject({ type: 'change', pr: 7, trusted: true, components: 'all' });
    expect(routed.note).toBe('PR #7 has an unapproved new head: it leaves staging');
  });
});

const readyPr = { repo: 'acme/app', number: 7, sha: 'old', author: 'alice', baseRef: 'main', draft: false, labels: [], updatedAt: null };

describe('routeEvent', () => {
  it.each([
    ['image path', ['services/api/src/a.ts'], ['api'], ['api']],
    ['config path only', ['services/api/tests/list.txt'], ['api'], []],
    ['two components', ['services/api/x', 'services/web/y'], ['api', 'web'], ['api', 'web']],
    ['no component', ['README.md'], [], []],
    ['unknown paths', null, 'all', 'all'],
  ])('a push to main touching %s', (_name, paths, components, rebuild) => {
    const routed = routeEvent(pushEvent({ paths, sha: 'abc', before: 'abb', pushedAt: 1_700_000_000_000, receivedAt: 1_700_000_000_500 }), ctx());
    expect(routed.headsUpdate).toEqual({ kind: 'main', repo: 'acme/app', sha: 'abc', order: { sha: 'abc', before: 'abb', at: 1_700_000_000_000, receivedAt: 1_700_000_000_500 } });
    expect(routed.policy).toMatchObject({ type: 'change', source: 'push', trusted: true, components, rebuild });
  });

  it.each([
    ['its updated_at, then arrival', '2026-11-25T12:00:00Z', { at: Date.parse('2026-11-25T12:00:00Z'), receivedAt: 5 }],
    ['arrival alone when it has no updated_at', null, { receivedAt: 5 }],
  ])('orders a PR update by %s', (_name, updatedAt, order) => {
    expect(routeEvent(pullRequestEvent({ updatedAt, receivedAt: 5 }), ctx()).headsUpdate).toMatchObject({ kind: 'pr-upsert', order });
    expect(routeEvent(pullRequestEvent({ action: 'closed', updatedAt, receivedAt: 5 }), ctx()).headsUpdate).toEqual({ kind: 'pr-remove', repo: 'acme/app', pr: 7, order });
  });

  it.each([
    ['another branch', pushEvent({ ref: 'refs/heads/feature' })],
    ['a deleted main', pushEvent({ sha: '0'.repeat(40) })],
  ])('ignores a push to %s', (_name, ev) => {
    expect(routeEvent(ev, ctx())).toMatchObject({ headsUpdate: null, policy: null });
  });

  it.each([
    ['trusted author', 'alice', null, true],
    ['maintainer author', 'maint', null, true],
    ['untrusted author', 'stranger', null, false],
    ['untrusted author with this head approved', 'stranger', 'sha1', true],
  ])('a PR update by a %s', (_name, author, approvedSha, trusted) => {
    const routed = routeEvent(pullRequestEvent({ author, sha: 'sha1' }), ctx({ approvedSha }));
    expect(routed.policy).toMatchObject({ type: 'change', source: 'pull_request', pr: 7, trusted });
    expect(routed.headsUpdate).toMatchObject({ kind: 'pr-upsert', head: { sha: 'sha1', author } });
  });

  it.each([
    ['a draft', pullRequestEvent({ draft: true }), null],
    ['a PR against another base', pullRequestEvent({ baseRef: 'release' }), null],
    ['a label change', pullRequestEvent({ action: 'labeled', label: 'bug', labels: ['bug'] }), null],
    ['the skip label on a draft', pullRequestEvent({ action: 'labeled', label: 'staging-skip', labels: ['staging-skip'], draft: true }), null],
    ['a push to a PR with the skip label', pullRequestEvent({ action: 'synchronize', labels: ['staging-skip'] }), null],
  ])('records but does not schedule %s', (_name, ev, policy) => {
    const routed = routeEvent(ev, ctx());
    expect(routed.policy).toBe(policy);
    expect(routed.headsUpdate?.kind).toBe('pr-upsert');
  });

  it.each([
    ['closed without merge while in staging', pullRequestEvent({ action: 'closed' }), readyPr, true],
    ['merged', pullRequestEvent({ action: 'closed', merged: true }), readyPr, false],
    ['closed, never in staging', pullRequestEvent({ action: 'closed' }), null, false],
    ['closed while it had the skip label', pullRequestEvent({ action: 'closed' }), { ...readyPr, labels: ['staging-skip'] }, false],
    ['turned into a draft while in staging', pullRequestEvent({ action: 'converted_to_draft', draft: true }), readyPr, true],
  ])('a PR %s', (_name, ev, knownPr, schedules) => {
    const routed = routeEvent(ev, ctx({ knownPr }));
    expect(routed.policy !== null).toBe(schedules);
    if (schedules) expect(routed.policy).toMatchObject({ type: 'change', trusted: true, components: 'all' });
  });

  it.each([
    ['a maintainer (case-insensitive)', 'MAINT', 'maintainer'],
    ['a trusted user', 'alice', 'trusted'],
    ['anyone else', 'mallory', 'untrusted'],
  ])('a deploy command from %s carries the role', (_name, by, role) => {
    const routed = routeEvent(commandEvent({ by, pr: 7, isPullRequest: true }), ctx({ knownPr: { ...readyPr, author: 'stranger' } }));
    expect(routed.policy).toMatchObject({ type: 'command', command: 'deploy', role, pr: 7, sha: 'old', prAuthorTrusted: false });
  });

  it.each([
    ['a PR it has never seen', 7, null, false],
    ['no PR at all', null, null, true],
  ])('does not vouch for the author of %s', (_name, pr, knownPr, trusted) => {
    const routed = routeEvent(commandEvent({ by: 'maint', pr, isPullRequest: pr !== null }), ctx({ knownPr }));
    expect(routed.policy).toMatchObject({ type: 'command', prAuthorTrusted: trusted });
  });

  it('takes a PR out of staging when it gets the skip label, and records its labels', () => {
    const routed = routeEvent(pullRequestEvent({ action: 'labeled', label: 'staging-skip', labels: ['bug', 'staging-skip'] }), ctx({ knownPr: readyPr }));
    expect(routed.policy).toMatchObject({ type: 'change', pr: 7, trusted: true, components: 'all' });
    expect(routed.headsUpdate).toMatchObject({ kind: 'pr-upsert', head: { labels: ['bug', 'staging-skip'] } });
    expect(routed.note).toBe('PR #7 is labelled staging-skip: it leaves staging');
  });

  it.each([
    ['a trusted author', 'alice', null, true],
    ['an untrusted author', 'stranger', null, false],
    ['an untrusted author whose head is approved', 'stranger', 'sha1', true],
  ])('brings a PR by %s back when the skip label goes', (_name, author, approvedSha, trusted) => {
    const routed = routeEvent(pullRequestEvent({ action: 'unlabeled', label: 'staging-skip', labels: [], author, sha: 'sha1' }), ctx({ approvedSha }));
    expect(routed.policy).toMatchObject({ type: 'change', source: 'pull_request', pr: 7, trusted, components: 'all' });
  });

  it.each([
    ['its author', 'Alice', true],
    ['someone else', 'mallory', false],
  ])('a skip command from %s says whether they wrote the PR', (_name, by, isAuthor) => {
    const routed = routeEvent(commandEvent({ command: 'skip', by, pr: 7, isPullRequest: true }), ctx({ knownPr: readyPr }));
    expect(routed.policy).toMatchObject({ type: 'command', command: 'skip', by, pr: 7, sha: 'old', isAuthor });
  });

  it.each(['help', 'status', 'promote'] as const)('leaves %s out of the policy', (command) => {
    expect(routeEvent(commandEvent({ command }), ctx()).policy).toBeNull();
  });
});

describe('routeEvent with several repositories', () => {
  const core = { name: 'acme/core', mainBranch: 'trunk', skipLabel: 'staging-skip', maxAgeMs: Number.POSITIVE_INFINITY };
  const coreCtx = (over: Partial<RouteContext> = {}) =>
    ctx({ repository: core, components: [{ name: 'kernel', repository: 'acme/core', paths: ['kernel/**'], configPaths: [] }], scopeToRepository: true, ...over });

  it("turns a push with unknown paths into a change of its repository's components only", () => {
    const routed = routeEvent(pushEvent({ repo: 'acme/core', ref: 'refs/heads/trunk', paths: null }), coreCtx());
    expect(routed.policy).toMatchObject({ type: 'change', repo: 'acme/core', components: ['kernel'], rebuild: ['kernel'] });
    expect(routed.headsUpdate).toMatchObject({ kind: 'main', repo: 'acme/core' });
  });

  it('follows its own main branch', () => {
    expect(routeEvent(pushEvent({ repo: 'acme/core', ref: 'refs/heads/main' }), coreCtx()).note).toBe('push to refs/heads/main is not trunk');
  });

  it("takes a closed PR out with its repository's components, and names the repository in the head it removes", () => {
    const known = { ...readyPr, repo: 'acme/core', baseRef: 'trunk' };
    const routed = routeEvent(pullRequestEvent({ repo: 'acme/core', action: 'closed', baseRef: 'trunk' }), coreCtx({ knownPr: known }));
    expect(routed.policy).toMatchObject({ type: 'change', repo: 'acme/core', pr: 7, components: ['kernel'] });
    expect(routed.headsUpdate).toMatchObject({ kind: 'pr-remove', repo: 'acme/core', pr: 7 });
  });

  it('puts the repository on a command', () => {
    expect(routeEvent(commandEvent({ repo: 'acme/core', by: 'maint', pr: 7, isPullRequest: true }), coreCtx()).policy).toMatchObject({ type: 'command', repo: 'acme/core', pr: 7 });
  });
});


describe('routeEvent with required checks', () => {
  const pending = checksVerdict(['ci/build'], []);
  const failed = checksVerdict(['ci/build'], [{ name: 'ci/build', state: 'failed' }]);
  const head = { ...readyPr, sha: 'h1', touches: ['api'] };

  it('keeps a new head waiting for its checks out of staging, recording it all the same', () => {
    const routed = routeEvent(pullRequestEvent({ sha: 'h1', action: 'opened' }), ctx({ checks: { sha: 'h1', now: pending } }));
    expect(routed).toMatchObject({ headsUpdate: { kind: 'pr-upsert', head: { sha: 'h1' } }, policy: null, note: 'PR #7 stays out of staging: waiting for checks: ci/build' });
    expect(routeEvent(pullRequestEvent({ sha: 'h1' }), ctx({ checks: { sha: 'h1', now: failed } })).note).toBe('PR #7 stays out of staging: checks failed: ci/build');
    expect(routeEvent(pullRequestEvent({ sha: 'h1' }), ctx({ checks: { sha: 'h1', now: GREEN_CHECKS } })).policy).toMatchObject({ type: 'change', pr: 7 });
  });

  it("still takes an approved PR's unapproved new head out, whatever its checks say", () => {
    const routed = routeEvent(pullRequestEvent({ author: 'stranger', sha: 'h1' }), ctx({ approvedSha: 'old', checks: { sha: 'h1', now: pending } }));
    expect(routed.note).toBe('PR #7 has an unapproved new head: it leaves staging');
  });

  it('takes a PR out when it gets the skip label or turns draft, even while its checks are pending (a re-run of a staged head)', () => {
    const known = { ...readyPr, sha: 'h1' };
    expect(routeEvent(pullRequestEvent({ sha: 'h1', action: 'labeled', label: 'staging-skip', labels: ['staging-skip'] }), ctx({ knownPr: known, checks: { sha: 'h1', now: pending } })).policy).toMatchObject({ type: 'change', pr: 7 });
    expect(routeEvent(pullRequestEvent({ sha: 'h1', action: 'converted_to_draft', draft: true }), ctx({ knownPr: known, checks: { sha: 'h1', now: pending } })).policy).toMatchObject({ type: 'change', pr: 7 });
  });

  it('does not take the skip label off a PR still waiting for its checks as a change', () => {
    const routed = routeEvent(pullRequestEvent({ sha: 'h1', action: 'unlabeled', label: 'staging-skip' }), ctx({ checks: { sha: 'h1', now: pending } }));
    expect(routed.policy).toBeNull();
  });

  it('lets a head whose checks turned green join staging, with the components it touches', () => {
    const routed = routeEvent(checksEvent('h1'), ctx({ knownPr: head, checks: { sha: 'h1', before: pending, now: GREEN_CHECKS, inStaging: false } }));
    expect(routed).toEqual({
      headsUpdate: null,
      policy: { type: 'change', source: 'pull_request', sha: 'h1', repo: 'acme/app', pr: 7, trusted: true, components: ['api'], rebuild: ['api'] },
      note: null,
    });
  });

  it("judges the author's trust as for a PR update: an untrusted head that turns green is a change nobody trusts", () => {
    const routed = routeEvent(checksEvent('h1'), ctx({ knownPr: { ...head, author: 'stranger' }, checks: { sha: 'h1', before: pending, now: GREEN_CHECKS, inStaging: false } }));
    expect(routed.policy).toMatchObject({ trusted: false });
  });

  it('takes a head on staging whose required check failed out of staging', () => {
    const routed = routeEvent(checksEvent('h1', [{ name: 'ci/build', state: 'failed' }]), ctx({ knownPr: head, checks: { sha: 'h1', before: GREEN_CHECKS, now: failed, inStaging: true } }));
    expect(routed.policy).toEqual({ type: 'change', source: 'pull_request', sha: 'h1', repo: 'acme/app', pr: 7, trusted: true, components: 'all', rebuild: 'all' });
  });

  it.each<[string, Partial<RouteContext>, string]>([
    ['a commit no open PR has as its head', { knownPr: null, checks: { sha: 'h1', before: pending, now: GREEN_CHECKS } }, 'no open PR of acme/app has head h1: its checks are kept for when one does'],
    ['a draft', { knownPr: { ...head, draft: true }, checks: { sha: 'h1', before: pending, now: GREEN_CHECKS, inStaging: false } }, 'PR #7 stays out of staging: draft'],
    ['a head still waiting', { knownPr: head, checks: { sha: 'h1', before: pending, now: pending } }, 'PR #7 stays out of staging: waiting for checks: ci/build'],
    ['a head that failed while waiting', { knownPr: head, checks: { sha: 'h1', before: pending, now: failed, inStaging: false } }, 'PR #7 stays out of staging: checks failed: ci/build'],
    ['a green head already on staging (a re-run passed again)', { knownPr: head, checks: { sha: 'h1', before: pending, now: GREEN_CHECKS, inStaging: true } }, 'PR #7: checks green, and this head is on staging already'],
    ['a green head going pending (a re-run)', { knownPr: head, checks: { sha: 'h1', before: GREEN_CHECKS, now: pending } }, 'PR #7 stays out of staging: waiting for checks: ci/build'],
    ['more green on a head green before', { knownPr: head, checks: { sha: 'h1', before: GREEN_CHECKS, now: GREEN_CHECKS } }, 'PR #7: checks were green already'],
  ])('changes nothing for %s', (_name, over, note) => {
    expect(routeEvent(checksEvent('h1'), ctx(over))).toEqual({ headsUpdate: null, policy: null, note });
  });
});
