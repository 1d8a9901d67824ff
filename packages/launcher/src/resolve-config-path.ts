import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '@stagecraft/config';
import { LaunchFailure } from './errors/launch-failure.js';

/**
 * The absolute config file path, found the way loadConfig finds it but made absolute, so apps
 * started elsewhere read the same file: --config (from the working directory, or else from the
 * repo root, so `--config examples/stagecraft.yaml` works anywhere in the checkout), else
 * STAGECRAFT_CONFIG, else ./stagecraft.yaml; null when there is none and defaults and env apply.
 */
export function resolveConfigPath(given: string | null, env: NodeJS.ProcessEnv, cwd: string, root: string | null): string | null {
  const named = given ?? (env['STAGECRAFT_CONFIG'] || null);
  if (named === null) {
    const local = resolve(cwd, DEFAULT_CONFIG_FILE);
    return existsSync(local) ? local : null;
  }
  const candidates = [resolve(cwd, named)];
  if (!isAbsolute(named) && root !== null) candidates.push(resolve(root, named));
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    const via = given !== null ? '--config' : 'STAGECRAFT_CONFIG';
    throw new LaunchFailure(`no config file at ${candidates.join(' or ')} (from ${via}): check the path`, 2);
  }
  return found;
}
