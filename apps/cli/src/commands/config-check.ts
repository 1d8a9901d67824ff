import { formatConfig, loadConfig } from '@stagecraft/config';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { findRepoRoot } from '../repo-root.js';
import { resolveConfigPath } from '@stagecraft/launcher';

/** `stagecraft config check`: the config every app would run with, secrets masked. */
export function configCheckCommand(cmd: Extract<CliCommand, { name: 'config-check' }>, io: CliIo): number {
  const path = resolveConfigPath(cmd.configPath, io.env, io.cwd, findRepoRoot());
  const config = loadConfig({ ...(path !== null ? { path } : {}), env: io.env });
  io.out(`# ${path ?? 'no config file: defaults'} + environment; secrets masked\n`);
  io.out(formatConfig(config));
  return 0;
}
