import { describe, expect, it } from '@jest/globals';
import { composeResultsOf, stageResultsProblems, testKernelDetailsOf } from './stage-details.js';

describe('stageResultsProblems', () => {
  it.each([
    ['compose', { sha: 'abc', mainSha: 'm1', prs: [{ number: 1, sha: 'h1' }], extra: 'kept' }],
    ['compose', {}],
    ['test-kernel', { passed: 3, failed: 0, skipped: 1, tests: [{ name: 'a', status: 'passed' }] }],
    ['test-kernel', { passed: 3 }],
    ['build', ['anything', 'goes']],
    ['deploy', 'a string'],
  ] as const)('%s accepts %j', (stage, results) => {
    expect(stageResultsProblems(stage, results)).toBeNull();
  });

  it.each([
    ['compose', { sha: 123 }, ['sha: Invalid input: expected string, received number']],
    ['compose', { prs: [{ number: 1, sha: 'h1' }, { number: '2', sha: 'h2' }] }, ['prs[1].number: Invalid input: expected number, received string']],
    ['compose', ['abc'], ['(the whole file): Invalid input: expected object, received array']],
    ['test-kernel', { passed: '12', failed: -1 }, ['passed: Invalid input: expected number, received string', 'failed: Too small: expected number to be >=0']],
  ] as const)('%s names each field of %j that does not fit', (stage, results, problems) => {
    expect(stageResultsProblems(stage, results)).toEqual(problems);
  });
});

describe('reading stage details', () => {
  it("gives compose's results, or null for none or unreadable ones", () => {
    expect(composeResultsOf({ durationMs: 5, results: { sha: 's', conflicts: [{ number: 3, sha: 'h3', with: 'main' }] } })).toEqual({
      sha: 's',
      conflicts: [{ number: 3, sha: 'h3', with: 'main' }],
    });
    expect(composeResultsOf(null)).toBeNull();
    expect(composeResultsOf({ exitCode: 0 })).toBeNull();
    expect(composeResultsOf({ results: { prs: 'h1' } })).toBeNull();
  });

  it("gives test-kernel's details: a command's counts, or the HTTP executor's runs", () => {
    expect(testKernelDetailsOf({ results: { passed: 2, failed: 1 } })).toEqual({ results: { passed: 2, failed: 1 } });
    const runs = { tests: [{ name: 'suite', status: 'done', passed: 1, failed: 0, skipped: 0, url: null, resultUrl: 'x' }], totals: { passed: 1, failed: 0, skipped: 0 } };
    expect(testKernelDetailsOf(runs)).toEqual(runs);
    expect(testKernelDetailsOf({ results: { passed: 'x' } })).toBeNull();
    expect(testKernelDetailsOf(null)).toBeNull();
  });
});
