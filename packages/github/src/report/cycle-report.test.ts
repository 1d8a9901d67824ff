import { describe, expect, it } from '@jest/globals';
import type { CycleRecord } from '@stagecraft/engine';
import type { StageResult } from '@stagecraft/queue';
import { cycleReport } from './cycle-report.js';

const T = Date.UTC(2026, 10, 25, 12, 0, 0);
const stage = (name: StageResult['stage'], status: StageResult['status']): StageResult => ({
  stage: name,
  status,
  startedAt: T,
  finishedAt: T + 1000,
  summary: `${name} ${status}`,
  attempt: 1,
  details: null,
  outputTail: [],
});
const record = (over: Partial<CycleRecord>): CycleRecord => ({
  id: 'staging-4',
  env: 'staging',
  kind: 'partial',
  state: 'succeeded',
  trigger: 'change',
  reason: 'settled',
  requestedBy: null,
  restarts: 0,
  startedAt: T,
  finishedAt: T + 60_000,
  components: ['api'],
  rebuild: ['api'],
  mainSha: 'a'.repeat(40),
  stagingSha: 'b'.repeat(40),
  repos: [{ repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) }],
  prs: [{ repo: 'acme/app', number: 7, sha: 'c'.repeat(40) }],
  stages: [],
  runningStage: null,
  cancelReason: null,
  ...over,
});
const pr = { repo: 'acme/app', number: 7, sha: 'c'.repeat(40) };
const summaryOf = (r: CycleRecord) => cycleReport(r, pr, { cycleUrl: null }, T + 120_000).summary;

describe('cycleReport: what is on staging', () => {
  it.each([
    ['failed at build', record({ state: 'failed', stages: [stage('compose', 'succeeded'), stage('build', 'failed'), stage('drain', 'skipped'), stage('deploy', 'skipped')] })],
    ['failed at deploy', record({ state: 'failed', stages: ['compose', 'build', 'drain'].map((s) => stage(s as StageResult['stage'], 'succeeded')).concat(stage('deploy', 'failed')) })],
    ['cancelled before deploy', record({ state: 'cancelled', stages: [stage('compose', 'succeeded'), stage('build', 'cancelled')] })],
  ])('a cycle that %s does not say its PRs are deployed', (_name, r) => {
    const summary = summaryOf(r);
    expect(summary).toContain('**Not deployed**: staging still runs what its last successful deploy put there');
    expect(summary).not.toMatch(/deployed to staging|is on staging|: deployed/);
  });

  it.each([
    ['succeeded', record({ stages: ['compose', 'build', 'drain', 'deploy'].map((s) => stage(s as StageResult['stage'], 'succeeded')) })],
    ['deployed, then failed its tests', record({ kind: 'full', state: 'failed', stages: ['compose', 'build', 'drain', 'deploy'].map((s) => stage(s as StageResult['stage'], 'succeeded')).concat(stage('test-kernel', 'failed')) })],
  ])('a cycle that %s says the head is on staging', (_name, r) => {
    expect(summaryOf(r)).toContain('Head `ccccccc` of #7 is on staging.');
    expect(summaryOf(r)).not.toContain('Not deployed');
  });

  it('says nothing about staging while the deploy has not finished', () => {
    const summary = summaryOf(record({ state: 'running', finishedAt: null, stages: [stage('compose', 'succeeded')], runningStage: { stage: 'build', startedAt: T, attempt: 1 } }));
    expect(summary).not.toMatch(/Not deployed|is on staging/);
  });

  it('one repository: PRs by number, one staging and main SHA', () => {
    const summary = summaryOf(record({ stages: ['compose', 'build', 'drain', 'deploy'].map((s) => stage(s as StageResult['stage'], 'succeeded')) }));
    expect(summary).toContain('staging `bbbbbbb` · main `aaaaaaa` · 1 PR(s): #7');
  });

  it('several repositories: each PR named with its repository, a staging and main SHA per repository', () => {
    const several = record({
      kind: 'full',
      repos: [
        { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) },
        { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: 'e'.repeat(40) },
      ],
      prs: [
        { repo: 'acme/app', number: 7, sha: 'c'.repeat(40) },
        { repo: 'kernelci/api', number: 7, sha: 'f'.repeat(40) },
      ],
      stages: ['compose', 'build', 'drain', 'deploy'].map((s) => stage(s as StageResult['stage'], 'succeeded')),
    });
    const summary = cycleReport(several, { repo: 'kernelci/api', number: 7, sha: 'f'.repeat(40) }, { cycleUrl: null }, T + 120_000).summary;
    expect(summary).toContain('against head `fffffff` of kernelci/api#7.');
    expect(summary).toContain('Head `fffffff` of kernelci/api#7 is on staging.');
    expect(summary).toContain('acme/app: staging `bbbbbbb`, main `aaaaaaa` · kernelci/api: staging `eeeeeee`, main `ddddddd` · 2 PR(s): acme/app#7, kernelci/api#7');
  });
});

describe('cycleReport: a bisected cycle', () => {
  const failed = record({ state: 'failed', stages: ['compose', 'build', 'drain'].map((s) => stage(s as StageResult['stage'], 'succeeded')).concat(stage('deploy', 'failed')) });
  const other = { repo: 'kernelci/api', number: 7, sha: 'f'.repeat(40) };

  it('names PRs with their repository in the steps, and blames nobody when the bisection stopped', () => {
    const bisected = record({
      ...failed,
      repos: [
        { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) },
        { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: 'e'.repeat(40) },
      ],
      prs: [pr, other],
      bisection: { stage: 'deploy', candidates: [pr, other], steps: [{ cycleId: 'staging-5', prs: [pr], result: 'cancelled' }], verdict: { kind: 'abandoned', reason: 'staging-5 was cancelled' } },
    });
    const report = cycleReport(bisected, other, { cycleUrl: null }, T + 120_000);
    expect(report.title).toBe('partial cycle staging-4 failed at deploy');
    expect(report.summary).toContain('🔎 **The bisection stopped without a verdict**: staging-5 was cancelled. Nobody is left out.');
    expect(report.summary).toContain('| 1 | staging-5 | main + acme/app#7 | ⛔ cancelled |');
  });

  it('says nothing of a bisection on a cycle that was not bisected', () => {
    expect(summaryOf(failed)).not.toContain('🔎');
  });
});
