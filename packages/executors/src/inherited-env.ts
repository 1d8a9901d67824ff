/**
 * What a stage command takes from the worker's own environment: enough to find programs and run
 * in the right locale and time zone, nothing else. The worker's environment holds Stagecraft's
 * secrets (webhook secret, dashboard token, Redis password, STAGECRAFT_* overrides), and a
 * command's output is stored and shown on the dashboard; a command gets anything more only by
 * naming it in stages.<stage>.env.
 */
export const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'] as const;

/** The inherited variables that are set in `parent`. */
export function inheritedEnv(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
