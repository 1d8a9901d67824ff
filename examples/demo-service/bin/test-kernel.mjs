// test-kernel: the reference tests against the deployed service.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, runningService, sleep, statePath, writeResults } from './lib/state.mjs';

const sha = process.env.STAGECRAFT_SHA || 'dev';
const service = runningService();
const base = service ? `http://127.0.0.1:${service.port}` : null;
const tests = [];

async function check(name, run) {
  const started = Date.now();
  try {
    if (!base) throw new Error('no service is running');
    const message = await run();
    tests.push({ name, status: message === 'skipped' ? 'skipped' : 'passed', durationMs: Date.now() - started });
  } catch (err) {
    tests.push({ name, status: 'failed', durationMs: Date.now() - started, message: err.message });
  }
  const t = tests.at(-1);
  console.log(`${t.status.padEnd(7)} ${name}${t.message ? `: ${t.message}` : ''}`);
}

await check('serves the staging SHA', async () => {
  const { version } = await (await fetch(`${base}/version`)).json();
  if (version !== sha) throw new Error(`version ${version}, expected ${sha}`);
});
await check('accepts and processes work', async () => {
  const before = (await (await fetch(`${base}/status`)).json()).processed;
  const res = await fetch(`${base}/work`, { method: 'POST', body: JSON.stringify({ items: 2 }) });
  if (res.status !== 202) throw new Error(`POST /work answered ${res.status}`);
  for (let i = 0; i < 100; i++) {
    if ((await (await fetch(`${base}/status`)).json()).processed >= before + 2) return;
    await sleep(50);
  }
  throw new Error('work was accepted but not processed within 5 s');
});
await check('deployed image matches its build manifest', async () => {
  const dir = statePath('images', 'api', sha);
  const manifest = readJson(join(dir, 'manifest.json'));
  if (!manifest) return 'skipped';
  for (const [file, digest] of Object.entries(manifest.files)) {
    const actual = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
    if (actual !== digest) throw new Error(`${file} differs from its build`);
  }
});
if (process.env.DEMO_FAIL_TESTS) {
  tests.push({ name: 'forced failure', status: 'failed', durationMs: 0, message: 'DEMO_FAIL_TESTS is set' });
}

const count = (s) => tests.filter((t) => t.status === s).length;
const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), tests };
writeResults(summary);
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(summary.failed > 0 ? 1 : 0);
