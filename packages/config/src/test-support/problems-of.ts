import { expect } from '@jest/globals';
import { ConfigError } from '../errors/config-error.js';

/** The problems of the ConfigError `run` throws; fails the test when it throws nothing or something else. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.message).toBe(error.problems.join('\n'));
    return error.problems;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
