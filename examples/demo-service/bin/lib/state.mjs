// Where the demo keeps its "registry", running service and deploy log.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVICE_SRC = resolve(here, '../../src');
export const STATE_DIR = resolve(process.env.DEMO_STATE_DIR ?? resolve(here, '../../../.state'));
mkdirSync(STATE_DIR, { recursive: true });

export const statePath = (...parts) => join(STATE_DIR, ...parts);

export function readJson(path, fallback = null) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return fallback;
  }
}

export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2));
}

export function appendDeployLog(entry) {
  appendFileSync(statePath('deploy-log.jsonl'), JSON.stringify({ ...entry, at: new Date().toISOString() }) + '\n');
}

export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running service, if any: { pid, port, version }. */
export function runningService() {
  const service = readJson(statePath('service.json'));
  return service && isAlive(service.pid) ? service : null;
}

export function writeResults(value) {
  if (process.env.STAGECRAFT_RESULTS) writeFileSync(process.env.STAGECRAFT_RESULTS, JSON.stringify(value));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function fail(message) {
  console.error(message);
  process.exit(1);
}

export { existsSync };
