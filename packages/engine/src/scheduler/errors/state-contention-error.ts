/** Optimistic commits kept losing: something rewrites this environment's state in a tight loop. */
export class StateContentionError extends Error {
  override name = this.constructor.name;

  constructor(env: string, attempts: number) {
    super(
      `could not commit the policy state of environment "${env}" after ${attempts} attempts. ` +
        'Another process keeps rewriting it: check that every scheduler replica runs the same version, ' +
        'and that nothing else writes the stagecraft keys in Redis.',
    );
  }
}
