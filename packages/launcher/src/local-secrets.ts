import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets `stagecraft start`/`demo` generate for a local run live in `.stagecraft/` under the
 * working directory, readable by the owner only, so `status` and `send-webhook` run from the same
 * directory find them without the value ever being printed.
 */
export const LOCAL_SECRET_FILES = {
  dashboardToken: join('.stagecraft', 'dashboard-token'),
  webhookSecret: join('.stagecraft', 'webhook-secret'),
} as const;

export function writeLocalSecret(cwd: string, file: string, value: string): string {
  const path = join(cwd, file);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  // The mode option only applies when the file is created; an older file keeps its own.
  chmodSync(path, 0o600);
  return path;
}

export function readLocalSecret(cwd: string, file: string): string | null {
  try {
    const value = readFileSync(join(cwd, file), 'utf8').trim();
    return value === '' ? null : value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
