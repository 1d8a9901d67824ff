// drain: stop the running service taking work and wait until its queue is empty.
import { fail, runningService, sleep, writeResults } from './lib/state.mjs';

const service = runningService();
if (!service) {
  console.log('no service running yet: nothing to drain');
  process.exit(0);
}
const base = `http://127.0.0.1:${service.port}`;
const timeoutMs = Number(process.env.DEMO_DRAIN_TIMEOUT_MS ?? 30_000);
await fetch(`${base}/pause`, { method: 'POST' });
const started = Date.now();
let last = -1;
for (;;) {
  const status = await (await fetch(`${base}/status`)).json();
  if (status.pending === 0) break;
  if (status.pending !== last) console.log(`draining: ${status.pending} item(s) pending`);
  last = status.pending;
  if (Date.now() - started > timeoutMs) fail(`drain timed out after ${timeoutMs} ms with ${status.pending} item(s) pending`);
  await sleep(100);
}
console.log(`drained ${service.version} in ${Date.now() - started} ms`);
writeResults({ drainedMs: Date.now() - started });
