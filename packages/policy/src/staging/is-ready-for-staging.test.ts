import { describe, expect, it } from '@jest/globals';
import { isReadyForStaging, stagingVerdict, whyNotReady, type StagingCandidate, type StagingRules } from './is-ready-for-staging.js';
import { checksVerdict, type ChecksVerdict } from './checks-verdict.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 24 * 3600_000;
const pr = (over: Partial<StagingCandidate> = {}): StagingCandidate => ({
  repo: 'acme/api',
  number: 1,
  sha: 'h1',
  author: 'alice',
  baseRef: 'main',
  draft: false,
  labels: [],
  updatedAt: new Date(NOW - DAY).toISOString(),
  ...over,
});
const rules: StagingRules = {
  mainBranch: 'main',
  skipLabel: 'staging-skip',
  maxAgeMs: 14 * DAY,
  now: NOW,
  trustedAuthor: (login) => login === 'alice',
  approvedSha: (p) => (p.number === 7 ? 'h7' : undefined),
  skippedByCommand: (p) => p.number === 9,
};

describe('isReadyForStaging', () => {
  it.each<[string, Partial<StagingCandidate>, string | null]>([
    ['a fresh PR by a trusted author', {}, null],
    ['a PR whose update time is unknown', { updatedAt: null }, null],
    ['a draft', { draft: true }, 'draft'],
    ['a PR against another branch', { baseRef: 'release' }, 'targets release, not main'],
    ['a PR with the skip label', { labels: ['bug', 'staging-skip'] }, 'labelled staging-skip'],
    ['a PR not updated within maxAge', { updatedAt: new Date(NOW - 15 * DAY).toISOString() }, 'not updated within maxAge'],
    ['a PR skipped by command', { number: 9 }, 'skipped with the skip command'],
    ['an untrusted author’s PR', { author: 'mallory' }, 'author not trusted and this head not approved'],
    ['an untrusted author’s approved head', { number: 7, sha: 'h7', author: 'mallory' }, null],
    ['an untrusted author’s head pushed after the approval', { number: 7, sha: 'h8', author: 'mallory' }, 'author not trusted and this head not approved'],
  ])('%s', (_name, over, reason) => {
    expect(whyNotReady(pr(over), rules)).toBe(reason);
    expect(isReadyForStaging(pr(over), rules)).toBe(reason === null);
  });
});

describe('whyNotReady: required checks', () => {
  const checked = (verdict: ChecksVerdict | undefined): StagingRules => ({ ...rules, checks: () => verdict });

  it.each<[string, ChecksVerdict | undefined, string | null]>([
    ['no checks required', undefined, null],
    ['every required check green', checksVerdict(['ci/build', 'lint'], [{ name: 'ci/build', state: 'green' }, { name: 'lint', state: 'green' }]), null],
    ['one pending and one not reported', checksVerdict(['ci/build', 'lint'], [{ name: 'ci/build', state: 'pending' }]), 'waiting for checks: ci/build, lint'],
    ['one failed while another waits', checksVerdict(['ci/build', 'lint'], [{ name: 'ci/build', state: 'failed' }]), 'checks failed: ci/build'],
  ])('%s', (_name, verdict, reason) => {
    expect(whyNotReady(pr(), checked(verdict))).toBe(reason);
    expect(stagingVerdict(pr(), checked(verdict))?.rule ?? null).toBe(reason === null ? null : 'checks');
  });

  it('are judged only for a PR every other rule lets in', () => {
    const failing = checksVerdict(['ci/build'], [{ name: 'ci/build', state: 'failed' }]);
    expect(stagingVerdict(pr({ draft: true }), checked(failing))).toEqual({ rule: 'draft', reason: 'draft' });
    expect(stagingVerdict(pr({ author: 'mallory' }), checked(failing))?.rule).toBe('trust');
  });
});
