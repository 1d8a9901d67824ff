import type { ValueKind } from '../schema/accepted-kinds.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const NUMBER = /^-?\d+(?:\.\d+)?$/;

export type CoercedValue = { value: unknown } | { error: string };

/**
 * Env values are text; this turns one into what the field takes. JSON for lists and mappings
 * (`[…]`, `{…}`), comma lists for lists of text, numbers and booleans where those are expected, ""
 * or "null" for an optional field. Anything else stays text, and validation says what was expected.
 */
export function coerceEnvValue(text: string, kinds: ReadonlySet<ValueKind>): CoercedValue {
  const trimmed = text.trim();
  // Only where a list or mapping fits: a text field keeps "{sc}" (a hash-tagged Redis prefix) as it is.
  const structured = kinds.has('list') || kinds.has('mapping') || kinds.has('string-list') || !kinds.has('string');
  if (structured && (trimmed.startsWith('[') || trimmed.startsWith('{'))) {
    try {
      return { value: JSON.parse(trimmed) as unknown };
    } catch (err) {
      return { error: `not valid JSON (${(err as Error).message}): write lists and mappings as JSON, like ["a","b"] or {"env":"NAME"}` };
    }
  }
  if (kinds.has('null') && (trimmed === '' || trimmed === 'null')) return { value: null };
  if (kinds.has('string-list')) return { value: trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim()).filter((item) => item !== '') };
  if (kinds.has('string')) return { value: text };
  if (kinds.has('number') && NUMBER.test(trimmed)) return { value: Number(trimmed) };
  if (kinds.has('boolean')) {
    const lower = trimmed.toLowerCase();
    if (TRUE.has(lower)) return { value: true };
    if (FALSE.has(lower)) return { value: false };
  }
  return { value: text };
}
