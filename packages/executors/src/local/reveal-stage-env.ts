import type { Secret } from '@stagecraft/config';

/** A stage's env as the command gets it: secrets revealed, and left out where their source is not set. */
export function revealStageEnv(env: Record<string, string | Secret>): { env: Record<string, string>; unset: string[] } {
  const revealed: Record<string, string> = {};
  const unset: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') revealed[name] = value;
    else if (value.isSet) revealed[name] = value.reveal();
    else unset.push(`${name} (${value.source})`);
  }
  return { env: revealed, unset };
}
