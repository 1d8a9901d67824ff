// drain: stop the running service taking work and wait until its queue is empty.
import { fail, isAlive, runningService, sleep, writeResults } from './lib/state.mjs';

const service = runningService();
if (!service) {
  console.log('no service running yet: nothing to drain');
  process.exit(0);
}
const base = `http://127.0.0.1:${service.port}`;
const timeoutMs = Number(process.env.DEMO_DRAIN_TIMEOUT_MS ?? 30_000);
const started = Date.now();

/**
 * A request to the service, retried while it does not answer yet: a deploy stopped mid-rollout
 * (a cancelled cycle) leaves a new service that is still starting. One that exits meanwhile has
 * nothing left to drain.
 */
async function ask(path, init) {
  for (;;) {
    try {
      return await fetch(`${base}${path}`, init);
    } catch (err) {
      if (!isAlive(service.pid)) {
        console.log(`${service.version} stopped before it answered: nothing to drain`);
        process.exit(0);
      }
      if (Date.now() - started > timeoutMs) fail(`drain timed out after ${timeoutMs} ms: ${base} does not answer (${err.cause?.code ?? err.message})`);
      await sleep(100);
    }
  }
}

await ask('/pause', { method: 'POST' });
let last = -1;
for (;;) {
  const status = await (await ask('/status')).json();
  if (status.pending === 0) break;
  if (status.pending !== last) console.log(`draining: ${status.pending} item(s) pending`);
  last = status.pending;
  if (Date.now() - started > timeoutMs) fail(`drain timed out after ${timeoutMs} ms with ${status.pending} item(s) pending`);
  await sleep(100);
}
console.log(`drained ${service.version} in ${Date.now() - started} ms`);
writeResults({ drainedMs: Date.now() - started });
