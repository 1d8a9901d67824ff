import picomatch from 'picomatch';
import type { ComponentSet } from './types.js';

export interface ComponentPaths {
  name: string;
  /** Image paths: a change here rebuilds the component. */
  paths: string[];
  /** Non-image paths: a change here redeploys without a rebuild. */
  configPaths: string[];
}

/** Which components a set of changed files touches; unknown files (null) touch all of them. */
export function componentsForPaths(
  paths: string[] | null,
  components: ComponentPaths[],
): { components: ComponentSet; rebuild: ComponentSet } {
  if (paths === null) return { components: 'all', rebuild: 'all' };
  const touched: string[] = [];
  const rebuild: string[] = [];
  for (const c of components) {
    const isConfig = matcher(c.configPaths);
    const isImage = matcher(c.paths);
    // configPaths win over paths, so `tests/**` inside an image's tree redeploys without a rebuild.
    const config = paths.some((p) => isConfig(p));
    const image = paths.some((p) => isImage(p) && !isConfig(p));
    if (image) rebuild.push(c.name);
    if (image || config) touched.push(c.name);
  }
  return { components: touched.sort(), rebuild: rebuild.sort() };
}

function matcher(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const isMatch = picomatch(globs, { dot: true });
  return (path) => isMatch(path);
}
