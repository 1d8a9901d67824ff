import { describe, expect, it } from '@jest/globals';
import type { CycleRecord } from '@stagecraft/engine';
import type { StageResult } from '@stagecraft/queue';
import { deployedCycle, deployedRuns, repositoryRuns } from './repository-runs.js';

const sha = (c: string) => c.repeat(40);
const stage = (name: StageResult['stage'], status: StageResult['status']): StageResult => ({
  stage: name, status, startedAt: 1, finishedAt: 2, attempt: 1, summary: '', details: null, outputTail: [],
}) as StageResult;

function cycle(over: Partial<CycleRecord> = {}): CycleRecord {
  return {
    id: 'staging-1', env: 'staging', kind: 'partial', state: 'succeeded', trigger: 'change', reason: 'settle passed', requestedBy: null, restarts: 0,
    startedAt: 1, finishedAt: 2, components: ['api'], rebuild: [], mainSha: sha('1'), stagingSha: sha('2'),
    repos: [{ repo: 'acme/api', mainSha: sha('1'), stagingSha: sha('2') }, { repo: 'acme/core', mainSha: sha('3'), stagingSha: sha('4') }],
    prs: [{ repo: 'acme/api', number: 4, sha: sha('a') }, { repo: 'Acme/Core', number: 4, sha: sha('b') }, { repo: 'acme/core', number: 9, sha: sha('c') }],
    stages: [stage('compose', 'succeeded'), stage('deploy', 'succeeded')], runningStage: null, cancelReason: null,
    ...over,
  };
}

describe('repositoryRuns', () => {
  it("gives each configured repository, in config order, its main, its staging SHA and its own PRs (whatever the letter case)", () => {
    expect(repositoryRuns(cycle(), ['acme/core', 'ACME/api', 'acme/docs'])).toEqual([
      { repository: 'acme/core', mainSha: sha('3'), stagingSha: sha('4'), prs: [{ number: 4, sha: sha('b') }, { number: 9, sha: sha('c') }] },
      { repository: 'ACME/api', mainSha: sha('1'), stagingSha: sha('2'), prs: [{ number: 4, sha: sha('a') }] },
      { repository: 'acme/docs', mainSha: null, stagingSha: null, prs: [] },
    ]);
  });

  it('reads a cycle recorded before cycles named their repositories as the first repository\'s', () => {
    const old = { ...cycle(), repos: undefined, prs: [{ number: 7, sha: sha('d') }] } as unknown as CycleRecord;
    expect(repositoryRuns(old, ['acme/api', 'acme/core'])).toEqual([
      { repository: 'acme/api', mainSha: sha('1'), stagingSha: sha('2'), prs: [{ number: 7, sha: sha('d') }] },
      { repository: 'acme/core', mainSha: null, stagingSha: null, prs: [] },
    ]);
  });
});

describe('deployedCycle', () => {
  it('is the newest cycle whose deploy succeeded: tests failing after it, or still running, do not undo a deploy', () => {
    const cycles = [
      cycle({ id: 'staging-4', state: 'failed', stages: [stage('compose', 'succeeded'), stage('build', 'failed')] }),
      cycle({ id: 'staging-3', state: 'failed', kind: 'full', stages: [stage('deploy', 'succeeded'), stage('test-kernel', 'failed')] }),
      cycle({ id: 'staging-2' }),
    ];
    expect(deployedCycle(cycles)?.id).toBe('staging-3');
    expect(deployedCycle([cycle({ id: 'staging-5', state: 'running', finishedAt: null }), ...cycles])?.id).toBe('staging-5');
    expect(deployedCycle([cycles[0]!])).toBeNull();
  });

  it('deployedRuns names the cycle and when it finished', () => {
    expect(deployedRuns([cycle({ id: 'staging-2', finishedAt: 99 })], ['acme/api'])).toEqual({
      cycle: 'staging-2',
      finishedAt: 99,
      repositories: [{ repository: 'acme/api', mainSha: sha('1'), stagingSha: sha('2'), prs: [{ number: 4, sha: sha('a') }] }],
    });
    expect(deployedRuns([], ['acme/api'])).toBeNull();
  });
});
