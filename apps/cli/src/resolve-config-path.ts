import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CliFailure } from './errors/cli-failure.js';

/**
 * The absolute config file path: --config (from the working directory, or else from the repo
 * root, so `--config examples/stagecraft.yaml` works from anywhere in the checkout), else
 * STAGECRAFT_CONFIG; null when neither names one and the config's defaults and env apply.
 */
export function resolveConfigPath(given: string | null, env: NodeJS.ProcessEnv, cwd: string, root: string | null): string | null {
  const named = given ?? env['STAGECRAFT_CONFIG'] ?? null;
  if (named === null || named === '') return null;
  const candidates = [resolve(cwd, named)];
  if (!isAbsolute(named) && root !== null) candidates.push(resolve(root, named));
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    const via = given !== null ? '--config' : 'STAGECRAFT_CONFIG';
    throw new CliFailure(`no config file at ${candidates[0]} (from ${via}): check the path`, 2);
  }
  return found;
}
