// Burst benchmark: 10,000 events for one environment inside one settle window must start exactly
// one cycle, with a constant number of Redis commands per event. Prints numbers; never fails on timing.
import { randomBytes } from 'node:crypto';
import { FlowProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { CatalogQueue, createCatalogWorker, deletePrefixedKeys, QUEUE_NAMES, stagecraftKeys, STAGE_NAMES } from '../packages/queue/dist/index.js';
import { StageLeases, CycleStore, EnvStateStore, HeadsStore, SchedulerEngine, createStageWorker } from '../packages/engine/dist/index.js';
import { createLogger } from '../packages/telemetry/dist/index.js';

const EVENTS = Number(process.env.BURST_EVENTS ?? 10_000);
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `scbench-${randomBytes(4).toString('hex')}`;
const keys = stagecraftKeys(prefix);
const conns = [];
const connect = () => {
  const c = new Redis(url, { maxRetriesPerRequest: null });
  conns.push(c);
  return c;
};
const logger = createLogger({ app: 'bench', level: 'silent' });
const client = connect();
const timers = new CatalogQueue('timers', { connection: client, prefix });
const events = new CatalogQueue('events', { connection: client, prefix });
const flows = new FlowProducer({ connection: client, prefix });
const cycles = new CycleStore(client, keys);
// The bench moves this clock past the settle time instead of waiting for it.
let skew = 0;
const engine = new SchedulerEngine({
  redis: client, keys, states: new EnvStateStore(client, keys), cycles, heads: new HeadsStore(client, keys),
  timers, flows, logger, clock: () => Date.now() + skew,
  settings: { settleMs: 60_000, settleMaxMs: 120_000, throttleMs: 0, fullIntervalMs: 3_600_000, idleCheckMs: 3_600_000, maxRestarts: 1 },
  environments: ['staging'], components: [{ name: 'api', repository: 'acme/app', paths: ['src/**'], configPaths: [] }],
  trust: { maintainers: [], trusted: [], approvers: [] },
  repositories: [{ name: 'acme/app', mainBranch: 'main', skipLabel: 'staging-skip', maxAgeMs: 14 * 24 * 3_600_000 }],
});

// Commands Redis executed (those inside Lua scripts included) and the round trips clients made.
const commandStats = async () => {
  const info = await client.info('commandstats');
  let total = 0;
  let scripts = 0;
  for (const m of info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    total += Number(m[2]);
    if (m[1] === 'evalsha' || m[1] === 'eval') scripts += Number(m[2]);
  }
  return { total, scripts };
};

const sha = () => randomBytes(20).toString('hex');
const jobs = Array.from({ length: EVENTS }, (_, i) => ({
  name: 'push',
  data: { kind: 'push', id: `burst-${i}`, receivedAt: Date.now(), repo: 'acme/app', installationId: null, ref: 'refs/heads/main', sha: sha(), before: sha(), author: 'alice', paths: ['src/index.ts'] },
  opts: { jobId: `burst-${i}` },
}));
for (let i = 0; i < jobs.length; i += 1000) await events.addBulk(jobs.slice(i, i + 1000));

const before = await commandStats();
const started = Date.now();
let processed = 0;
const allDone = new Promise((resolve, reject) => {
  const worker = createCatalogWorker('events', async (ev) => {
    await engine.handleEvent(ev);
    if (++processed === EVENTS) resolve(worker);
  }, { connection: connect(), prefix, concurrency: 1 });
  // A failing event would leave the count short forever: stop the bench with its error instead.
  worker.on('failed', (_job, err) => reject(err));
});
const eventsWorker = await allDone;
const elapsed = Date.now() - started;
await eventsWorker.close();
const after = await commandStats();
const calls = after.total - before.total;
const scripts = after.scripts - before.scripts;
const { state } = await new EnvStateStore(client, keys).load('staging');

// Fire the debounced timer now and time how long until the first stage starts.
const leases = await StageLeases.start({ redis: client, subscriber: connect(), keys, ttlMs: 5000 });
const stageWorkers = STAGE_NAMES.map((stage) => createStageWorker(
  { stage, executor: null, cycles, redis: client, keys, leases, logger, clock: Date.now },
  { connection: connect(), prefix },
));
skew = state.pending.runAt - Date.now() + 1;
const fired = Date.now();
await engine.timerFired('staging', state.pending.id);
let firstStageMs = null;
for (let i = 0; i < 500 && firstStageMs === null; i++) {
  const c = await cycles.get(state.pending.id);
  const compose = c?.stages.find((s) => s.stage === 'compose');
  if (compose) firstStageMs = compose.startedAt - fired;
  else await new Promise((r) => setTimeout(r, 5));
}
const started_ = (await cycles.list({ env: 'staging' })).length;

console.log(`events applied            ${EVENTS}`);
console.log(`cycles started            ${started_} (must be 1)`);
console.log(`pending cycle changes     ${state.pending?.changes}`);
console.log(`redis commands / event    ${(calls / EVENTS).toFixed(2)}  (INFO commandstats: every command, those run inside Lua scripts included)`);
console.log(`lua scripts / event       ${(scripts / EVENTS).toFixed(2)}  (BullMQ's fetch/complete + the state commit)`);
console.log(`events / s (1 scheduler)  ${Math.round(EVENTS / (elapsed / 1000))}`);
console.log(`timer fired → first stage ${firstStageMs} ms`);

await Promise.all(stageWorkers.map((w) => w.close()));
await leases.close();
for (const name of QUEUE_NAMES) {
  const q = new CatalogQueue(name, { connection: client, prefix });
  await q.queue.obliterate({ force: true }).catch(() => {});
  await q.close();
}
await deletePrefixedKeys(client, prefix);
await timers.close(); await events.close(); await flows.close();
for (const c of conns) c.disconnect();
if (started_ !== 1) process.exitCode = 1;
