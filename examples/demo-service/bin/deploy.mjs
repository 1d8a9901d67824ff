// deploy: replace the running service with the cycle's SHA. Records every start, end and abort in
// deploy-log.jsonl, and an "overlap" whenever another deploy is still running — which Stagecraft
// must never allow; the end-to-end tests read that log.
import { spawn } from 'node:child_process';
import { existsSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_SRC, appendDeployLog, fail, isAlive, readJson, runningService, sleep, statePath, writeJson, writeResults } from './lib/state.mjs';

const cycle = process.env.STAGECRAFT_CYCLE ?? 'manual';
const sha = process.env.STAGECRAFT_SHA || 'dev';
const port = Number(process.env.DEMO_PORT ?? 4080);
const lockPath = statePath('deploy.lock');

const other = readJson(lockPath);
if (other && isAlive(other.pid)) appendDeployLog({ type: 'overlap', cycle, pid: process.pid, other });
writeJson(lockPath, { pid: process.pid, cycle, startedAt: new Date().toISOString() });
appendDeployLog({ type: 'start', cycle, pid: process.pid, sha, attempt: Number(process.env.STAGECRAFT_ATTEMPT ?? 1) });

const releaseLock = () => {
  if (readJson(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
};
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    releaseLock();
    appendDeployLog({ type: 'aborted', cycle, pid: process.pid, signal });
    process.exit(143);
  });
}

const rollout = Number(process.env.DEMO_DEPLOY_MS ?? 1500);
console.log(`rolling out ${sha.slice(0, 12)} (${rollout} ms)`);
for (let waited = 0; waited < rollout; waited += 50) await sleep(50);
if (process.env.DEMO_FAIL_DEPLOY) {
  releaseLock();
  appendDeployLog({ type: 'failed', cycle, pid: process.pid });
  fail(`deploy failed: DEMO_FAIL_DEPLOY is set (${process.env.DEMO_FAIL_DEPLOY})`);
}

const previous = runningService();
if (previous) {
  process.kill(previous.pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(previous.pid); i++) await sleep(50);
  console.log(`stopped ${previous.version}`);
}

const image = statePath('images', 'api', sha, 'server.mjs');
const entry = existsSync(image) ? image : join(SERVICE_SRC, 'server.mjs');
const log = openSync(statePath('service.log'), 'a');
const service = spawn(process.execPath, [entry], {
  env: { ...process.env, VERSION: sha, DEMO_PORT: String(port) },
  detached: true,
  stdio: ['ignore', log, log],
});
service.unref();
writeJson(statePath('service.json'), { pid: service.pid, port, version: sha });

const base = `http://127.0.0.1:${port}`;
let healthy = false;
for (let i = 0; i < 200 && !healthy; i++) {
  healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
  if (!healthy) await sleep(50);
}
if (!healthy) {
  releaseLock();
  fail(`the new service did not answer ${base}/healthz within 10 s (see ${statePath('service.log')})`);
}
await fetch(`${base}/resume`, { method: 'POST' });
console.log(`deployed ${sha.slice(0, 12)} on ${base} (from ${entry === image ? 'image' : 'source'})`);
appendDeployLog({ type: 'end', cycle, pid: process.pid, sha });
releaseLock();
writeResults({ version: sha, url: base, image: entry === image ? image : null });
