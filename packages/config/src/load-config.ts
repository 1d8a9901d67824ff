import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from './errors/config-error.js';
import { parseConfig } from './parse-config.js';
import { parseYamlText } from './parse-yaml-text.js';
import type { StagecraftConfig } from './types.js';

export interface LoadConfigOptions {
  /** The config file; else STAGECRAFT_CONFIG, else ./stagecraft.yaml if there is one, else defaults only. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Where relative paths resolve. Default: the working directory. */
  cwd?: string;
}

export const DEFAULT_CONFIG_FILE = 'stagecraft.yaml';

function configFile(options: LoadConfigOptions, env: NodeJS.ProcessEnv, cwd: string): { path: string; via: string } | null {
  if (options.path !== undefined) return { path: resolve(cwd, options.path), via: 'the config path given' };
  const fromEnv = env['STAGECRAFT_CONFIG'] ?? '';
  if (fromEnv !== '') return { path: resolve(cwd, fromEnv), via: 'STAGECRAFT_CONFIG' };
  const local = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(local) ? { path: local, via: `./${DEFAULT_CONFIG_FILE}` } : null;
}

function readConfigFile(path: string, via: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError([`cannot read the config file ${path} (${reason}), named by ${via}: check the path`]);
  }
}

/** The config every Stagecraft process runs with: the YAML file, then env overrides, then defaults. */
export function loadConfig(options: LoadConfigOptions = {}): StagecraftConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = configFile(options, env, cwd);
  if (file === null) return parseConfig({}, 'defaults', env, { baseDir: cwd });
  const name = basename(file.path);
  const raw = parseYamlText(readConfigFile(file.path, file.via), name);
  return parseConfig(raw, name, env, { baseDir: dirname(file.path) });
}
