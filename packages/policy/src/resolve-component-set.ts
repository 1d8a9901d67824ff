import type { ComponentSet } from './types.js';

export function resolveComponentSet(set: ComponentSet, allNames: string[]): string[] {
  return set === 'all' ? [...allNames] : allNames.filter((n) => set.includes(n));
}
