import { InvalidJsonPathError } from './errors/invalid-json-path-error.js';

export type JsonPathLookup = { found: true; value: unknown } | { found: false };

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\])/;

/**
 * Reads `$.a.b[0].c` out of parsed JSON: the subset of JSONPath the HTTP executors need (a root,
 * dotted names, array indexes), no filters or wildcards. A missing key, an index past the end or a
 * step into a non-object gives `{ found: false }`; a malformed path throws InvalidJsonPathError.
 */
export function readJsonPath(document: unknown, path: string): JsonPathLookup {
  if (!path.startsWith('$')) throw new InvalidJsonPathError(path, 'it must start with "$"');
  let rest = path.slice(1);
  let current: unknown = document;
  let found = true;
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (m === null) throw new InvalidJsonPathError(path, `cannot read ${JSON.stringify(rest)}`);
    rest = rest.slice(m[0].length);
    if (!found) continue; // keep checking the rest of the path's syntax
    if (m[1] !== undefined) {
      if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, m[1])) {
        current = (current as Record<string, unknown>)[m[1]];
      } else found = false;
    } else {
      const index = Number(m[2]);
      if (Array.isArray(current) && index < current.length) current = current[index];
      else found = false;
    }
  }
  return found ? { found: true, value: current } : { found: false };
}
