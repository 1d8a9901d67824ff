type Container = Record<string | number, unknown>;

/**
 * Sets `value` at `path` inside `target`, creating what is missing on the way from `seed(index)`
 * (a field's default) or else an empty mapping (or list, before an index). Returns the index in
 * `path` of the first container it had to create, else the last index.
 */
export function setAtPath(target: Container, path: readonly (string | number)[], value: unknown, seed: (index: number) => unknown = () => undefined): number {
  let current = target;
  let createdFrom = path.length - 1;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (next === null || typeof next !== 'object') {
      const seeded = seed(index);
      current[key] = seeded !== null && typeof seeded === 'object' ? seeded : typeof path[index + 1] === 'number' ? [] : {};
      createdFrom = Math.min(createdFrom, index);
    }
    current = current[key] as Container;
  });
  return createdFrom;
}
