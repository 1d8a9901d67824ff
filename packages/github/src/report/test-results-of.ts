import type { CycleRecord } from '@stagecraft/engine';

export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per suite/build when the executor reported them. */
  lines: string[];
}

/** What test-kernel reported, from its stage details (the HTTP executor's `tests`/`totals`, or a command's results). */
export function testResultsOf(record: CycleRecord): TestTotals | null {
  const stage = record.stages.find((s) => s.stage === 'test-kernel');
  const details = stage?.details;
  if (!details) return null;
  const tests = Array.isArray(details['tests']) ? (details['tests'] as Array<Record<string, unknown>>) : [];
  const totals = (details['totals'] ?? details['results'] ?? null) as Record<string, unknown> | null;
  const count = (source: Record<string, unknown> | null, key: string) => (typeof source?.[key] === 'number' ? (source[key] as number) : 0);
  const summed = tests.reduce<TestTotals>(
    (sum, t) => ({ passed: sum.passed + count(t, 'passed'), failed: sum.failed + count(t, 'failed'), skipped: sum.skipped + count(t, 'skipped'), lines: sum.lines }),
    { passed: 0, failed: 0, skipped: 0, lines: [] },
  );
  const result: TestTotals =
    tests.length > 0
      ? summed
      : { passed: count(totals, 'passed'), failed: count(totals, 'failed'), skipped: count(totals, 'skipped'), lines: [] };
  if (tests.length === 0 && result.passed + result.failed + result.skipped === 0) return null;
  result.lines = tests.map((t) => {
    const name = String(t['name'] ?? 'tests');
    const link = typeof t['url'] === 'string' ? ` ([results](${t['url']}))` : '';
    return `- ${name}: ${String(t['status'] ?? '')} — ${count(t, 'passed')} passed, ${count(t, 'failed')} failed, ${count(t, 'skipped')} skipped${link}`;
  });
  return result;
}
