import type { EnvState } from './types.js';

export function initialEnvState(env: string): EnvState {
  return { env, seq: 0, pending: null, running: null, lastStartedAt: null, lastFinishedAt: null, lastFullStartedAt: null, carry: null, bisection: null };
}
