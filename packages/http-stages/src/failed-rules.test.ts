import { describe, expect, it } from '@jest/globals';
import { failedRules, type FailWhen, type TestTotals } from './failed-rules.js';

describe('failedRules', () => {
  it.each<[string, TestTotals, FailWhen, string[]]>([
    ['no failures', { passed: 10, failed: 0, skipped: 1 }, { failed: '>0' }, []],
    ['one failure', { passed: 10, failed: 1, skipped: 0 }, { failed: '>0' }, ['failed > 0 (1)']],
    ['up to two failures allowed', { passed: 10, failed: 2, skipped: 0 }, { failed: '>2' }, []],
    ['more than allowed', { passed: 10, failed: 3, skipped: 0 }, { failed: ' > 2 ' }, ['failed > 2 (3)']],
    ['nothing passed', { passed: 0, failed: 0, skipped: 4 }, { failed: '>0', passed: '==0' }, ['passed == 0 (0)']],
    ['too many skipped', { passed: 1, failed: 1, skipped: 9 }, { failed: '>0', skipped: '>=5' }, ['failed > 0 (1)', 'skipped >= 5 (9)']],
    ['no rules', { passed: 0, failed: 9, skipped: 0 }, {}, []],
  ])('%s', (_name, totals, failWhen, expected) => {
    expect(failedRules(totals, failWhen)).toEqual(expected);
  });

  it('rejects a rule that is no comparison', () => {
    expect(() => failedRules({ passed: 0, failed: 0, skipped: 0 }, { failed: 'many' })).toThrow('failWhen.failed: "many" is not a comparison like ">0"');
  });
});
