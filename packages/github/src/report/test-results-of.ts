import type { CycleRecord } from '@stagecraft/engine';
import { testKernelDetailsOf } from '@stagecraft/queue';

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
  const details = testKernelDetailsOf(stage?.details);
  if (!details) return null;
  const tests = details.tests ?? [];
  const totals = details.totals ?? details.results ?? null;
  const summed = tests.reduce<TestTotals>(
    (sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped, lines: sum.lines }),
    { passed: 0, failed: 0, skipped: 0, lines: [] },
  );
  const result: TestTotals =
    tests.length > 0 ? summed : { passed: totals?.passed ?? 0, failed: totals?.failed ?? 0, skipped: totals?.skipped ?? 0, lines: [] };
  if (tests.length === 0 && result.passed + result.failed + result.skipped === 0) return null;
  result.lines = tests.map((t) => {
    const link = typeof t.url === 'string' ? ` ([results](${t.url}))` : '';
    return `- ${t.name}: ${t.status} — ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${link}`;
  });
  return result;
}
