import type { ComponentSet } from './types.js';

/** 'all' absorbs everything; otherwise the sorted union of names. */
export function unionComponents(a: ComponentSet, b: ComponentSet): ComponentSet {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])].sort();
}
