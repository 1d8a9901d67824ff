import type { z } from 'zod';
import { describeValue } from './describe-value.js';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'null',
};

function sized(origin: string | undefined, count: number | bigint): string {
  if (origin === 'array' || origin === 'set') return `${count} item${count === 1 ? '' : 's'}`;
  if (origin === 'string') return `${count} character${count === 1 ? '' : 's'}`;
  return String(count);
}

/**
 * The reason part of a problem line, in an operator's words rather than zod's ("expected a
 * number, got \"ten\""). Used as the parse-wide error map, so messages a schema sets itself win.
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required, but missing';
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if ((issue.origin === 'array' || issue.origin === 'string') && Number(issue.minimum) === 1) return 'must not be empty';
      return `must be at least ${sized(issue.origin, issue.minimum)}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `must be at most ${sized(issue.origin, issue.maximum)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return `expected ${issue.format}, got ${describeValue(issue.input)}`;
    case 'invalid_key':
      return `invalid key ${describeValue(issue.input)}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'invalid_union':
      return `does not match any allowed form, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}
