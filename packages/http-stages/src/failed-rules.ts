import { compareValues, type ComparisonOperator } from './compare-values.js';

export type TestTotals = { passed: number; failed: number; skipped: number };
export type FailWhen = Partial<Record<keyof TestTotals, string>>;

const CONDITION = /^\s*(==|!=|<=|>=|<|>)\s*(-?\d+)\s*$/;

/** The `failWhen` rules the totals meet, as text ("failed > 0"); none means the tests passed. */
export function failedRules(totals: TestTotals, failWhen: FailWhen): string[] {
  const met: string[] = [];
  for (const key of ['passed', 'failed', 'skipped'] as const) {
    const rule = failWhen[key];
    if (rule === undefined) continue;
    const m = CONDITION.exec(rule);
    if (m === null) throw new Error(`failWhen.${key}: ${JSON.stringify(rule)} is not a comparison like ">0"`);
    const op = m[1] as ComparisonOperator;
    const limit = Number(m[2]);
    if (compareValues(totals[key], op, limit)) met.push(`${key} ${op} ${limit} (${totals[key]})`);
  }
  return met;
}
