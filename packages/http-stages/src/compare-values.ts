export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * `actual op expected` as a drain condition or a failure rule means it. == and != compare JSON
 * values exactly (0 is not "0"); the ordering operators need two numbers and are false otherwise,
 * so a missing or non-numeric value never counts as drained.
 */
export function compareValues(actual: unknown, op: ComparisonOperator, expected: unknown): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number' || Number.isNaN(actual)) return false;
      if (op === '<') return actual < expected;
      if (op === '<=') return actual <= expected;
      if (op === '>') return actual > expected;
      return actual >= expected;
    }
  }
}
