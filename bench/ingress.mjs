// Ingress benchmark: a bare node:http server vs the built ingress app (real Redis), 64 connections,
// signed ~25 KB pull_request webhooks, every request a new delivery. Each server runs in its own
// process (bench/ingress-target.mjs) so the load generator does not share its event loop.
// Prints numbers; never fails on timing. Knobs: BENCH_CONNECTIONS, BENCH_DURATION (s), BENCH_WARMUP (s),
// BENCH_BATCH_MAX_SIZE, BENCH_BATCH_MAX_WAIT_MS, REDIS_URL.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { buildWebhook, signWebhook, webhookHeaders } from '../packages/webhooks/dist/index.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const BODY_BYTES = 25_000;
const DISTINCT_BODIES = 256;
const REPOSITORY = 'acme/app';
const secret = randomBytes(20).toString('hex');

/** Distinct pull_request payloads shaped like GitHub's, padded to ~25 KB with a long PR description, signed once each. */
async function signedBodies() {
  const bodies = [];
  for (let i = 0; i < DISTINCT_BODIES; i++) {
    const payload = buildWebhook('pull_request', { repository: REPOSITORY, action: 'synchronize', number: i + 1, sha: randomBytes(20).toString('hex'), body: '' });
    const unpadded = JSON.stringify(payload).length;
    payload.pull_request.body = 'Lorem ipsum dolor sit amet. '.repeat(Math.ceil((BODY_BYTES - unpadded) / 28)).slice(0, Math.max(0, BODY_BYTES - unpadded));
    const body = JSON.stringify(payload);
    bodies.push({ body: Buffer.from(body), signature: await signWebhook(secret, body) });
  }
  return bodies;
}

function startTarget(mode) {
  const child = fork(fileURLToPath(new URL('./ingress-target.mjs', import.meta.url)), [mode], {
    env: { ...process.env, BENCH_WEBHOOK_SECRET: secret, BENCH_REPOSITORY: REPOSITORY },
  });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${code}`)));
  });
  return { child, next };
}

function load(port, bodies, durationS) {
  let sent = 0;
  const runId = randomUUID();
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: durationS,
    requests: [{
      method: 'POST',
      path: '/webhooks',
      setupRequest: (request) => {
        const n = sent++;
        const { body, signature } = bodies[n % bodies.length];
        return { ...request, headers: webhookHeaders({ name: 'pull_request', deliveryId: `${runId}-${n}`, signature }), body };
      },
    }],
  });
}

/** CPU seconds redis-server has used so far (all clients: a rough share per request). */
async function redisCpu(redis) {
  const info = await redis.info('cpu');
  const value = (key) => Number(new RegExp(`${key}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

async function measure(mode, bodies, redis) {
  const target = startTarget(mode);
  const { port } = await target.next();
  if (WARMUP_S > 0) await load(port, bodies, WARMUP_S);
  target.child.send('mark');
  await target.next();
  const redisBefore = await redisCpu(redis);
  const result = await load(port, bodies, DURATION_S);
  const redisSeconds = (await redisCpu(redis)) - redisBefore;
  target.child.send('finish');
  const server = await target.next();
  return { mode, result, server, redisSeconds };
}

const bodies = await signedBodies();
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
console.log(`${CONNECTIONS} connections, ${DURATION_S} s each (after ${WARMUP_S} s warm-up), signed pull_request bodies of ${bodies[0].body.length} bytes`);
const runs = [];
for (const mode of ['bare', 'ingress']) {
  const run = await measure(mode, bodies, redis);
  runs.push(run);
  const { result, server } = run;
  const perRequest = (seconds) => `${((seconds * 1e6) / Math.max(1, server.answeredSinceMark)).toFixed(0)} µs`;
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(' ');
  console.log(
    `${mode.padEnd(8)} ${result.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   ` +
      `p99 ${String(result.latency.p99).padStart(4)} ms   errors ${result.errors} timeouts ${result.timeouts}   status ${codes}\n` +
      `         CPU per request: server ${perRequest(server.cpu)}, redis ${perRequest(run.redisSeconds)}`,
  );
}
const [bare, ingress] = runs;
console.log(`ingress / bare: ${(ingress.result.requests.average / bare.result.requests.average).toFixed(2)}`);

const s = ingress.server;
const jobs = Object.values(s.jobs).reduce((a, b) => a + b, 0);
const client202 = ingress.result.statusCodeStats?.['202']?.count ?? 0;
console.log(
  `ingress stored ${jobs} jobs for ${s.answered202} 202s it sent (warm-up included; the measured run saw ${client202}, ` +
    `responses still in flight when a run stopped are not counted by the client), ` +
    `in ${s.batches} addBulk calls (${(s.batchedEvents / Math.max(1, s.batches)).toFixed(1)} events each)` +
    (s.rejected.length ? `; rejected: ${s.rejected.map(([r, v]) => `${r}=${v}`).join(' ')}` : ''),
);
console.log(jobs === s.answered202 ? 'jobs in Redis = 202s answered: yes' : `jobs in Redis = 202s answered: NO (${jobs} vs ${s.answered202})`);
redis.disconnect();
