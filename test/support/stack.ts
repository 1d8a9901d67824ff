import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pullRequestKey } from '@stagecraft/policy';
import { CatalogQueue, deletePrefixedKeys, stagecraftKeys, type QueueName } from '@stagecraft/queue';
import {
  buildWebhook,
  freePort,
  launchStack,
  signWebhook,
  webhookHeaders,
  type AppName,
  type RunningStack,
  type WebhookFieldsByName,
  type WebhookName,
} from '@stagecraft/testing';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Every Stagecraft app as its own process, built from dist/, started by the launcher `stagecraft
 * start` uses (supervised, restarted when one crashes, each on a free port), on real Redis under a
 * random prefix, with the demo service's stage commands writing into a private state dir.
 * `apps` picks the apps like `stagecraft start --only`; by default every app `start` would run
 * (the notifier only when the config has a GitHub App).
 */
export async function startStack(opts: { env?: Record<string, string>; apps?: AppName[]; replicas?: Partial<Record<AppName, number>> } = {}) {
  const prefix = `sce2e-${randomBytes(5).toString('hex')}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'stagecraft-e2e-'));
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(16).toString('hex');
  const demoPort = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    STAGECRAFT_CONFIG: join(ROOT, 'test/e2e/fixtures/stagecraft.e2e.yaml'),
    REDIS_URL,
    STAGECRAFT_REDIS__PREFIX: prefix,
    GITHUB_WEBHOOK_SECRET: secret,
    STAGECRAFT_DASHBOARD_TOKEN: token,
    DEMO_STATE_DIR: stateDir,
    DEMO_PORT: String(demoPort),
    DEMO_DEPLOY_MS: '600',
    DEMO_ITEM_MS: '20',
    // Stage commands of the GitHub App e2e note what they were asked to do here.
    E2E_RECORD: join(stateDir, 'record.log'),
    ...opts.env,
  };
  const redis = new Redis(REDIS_URL);
  // The merged log, one line per entry, as `stagecraft start` would print it.
  const log: string[] = [];
  const fatal: string[] = [];
  let stopApps: () => Promise<void> = async () => {};

  const cleanUp = async () => {
    await stopApps();
    await new Promise<void>((r) => {
      const stop = spawn(process.execPath, [join(ROOT, 'examples/demo-service/bin/stop.mjs')], { env, stdio: 'ignore' });
      stop.on('exit', () => r());
      stop.on('error', () => r());
    });
    await deletePrefixedKeys(redis, prefix);
    redis.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  };

  let running: RunningStack;
  try {
    running = await launchStack(
      {
        root: ROOT,
        cwd: stateDir,
        configPath: null,
        only: opts.apps ?? null,
        replicas: opts.replicas ?? {},
        generateWebhookSecret: false,
        env,
        ports: 'free',
        color: false,
        write: (text) => log.push(...text.replace(/\n$/, '').split('\n')),
        onFatal: (reason) => fatal.push(reason),
      },
      (stop) => (stopApps = stop),
    );
  } catch (err) {
    await cleanUp();
    throw new Error(`the stack did not start: ${(err as Error).message}\n${log.join('\n')}`);
  }
  const stack = running;
  const urlOf = (app: AppName) => stack.apps.find((a) => a.app === app)!.url;

  return {
    prefix,
    stateDir,
    secret,
    token,
    demoPort,
    /** Every app process: app, label, port, metricsPort, url. */
    apps: stack.apps,
    urlOf,
    /** Sends a signal to an app process (by label, e.g. `deploy`); the launcher restarts it if it exits. */
    kill: (label: string, signal: NodeJS.Signals) => stack.kill(label, signal),
    /** Apps the launcher gave up on (crashed too often). */
    fatal,
    /** Builds the webhook like GitHub sends it, signs it like GitHub would and posts it to the ingress. */
    async sendWebhook<N extends WebhookName>(name: N, fields: WebhookFieldsByName[N]) {
      const body = JSON.stringify(buildWebhook(name, fields));
      const deliveryId = randomUUID();
      const res = await fetch(stack.ingressUrl, {
        method: 'POST',
        headers: webhookHeaders({ name, deliveryId, signature: await signWebhook(secret, body) }),
        body,
      });
      return { status: res.status, body: await res.json(), deliveryId };
    },
    /** An app's Prometheus metrics, as its /metrics (on its metrics port) serves them. */
    async metrics(app: AppName): Promise<string> {
      const instance = stack.apps.find((a) => a.app === app);
      if (!instance) throw new Error(`${app} is not running in this stack`);
      return (await fetch(`http://127.0.0.1:${instance.metricsPort}/metrics`)).text();
    },
    async api<T = any>(path: string): Promise<T> {
      const res = await fetch(`${stack.dashboardUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async cycles(): Promise<any[]> {
      return ((await this.api<{ cycles: any[] }>('/api/cycles?limit=100')).cycles).reverse();
    },
    async waitForCycles(what: string, predicate: (cycles: any[]) => boolean, timeoutMs = 30_000): Promise<any[]> {
      return waitUntil(what, async () => {
        const cycles = await this.cycles();
        return predicate(cycles) ? cycles : null;
      }, timeoutMs);
    },
    /** Jobs the ingress has put on the events queue, whatever their state. */
    async queuedEvents(): Promise<number> {
      const events = new CatalogQueue('events', { connection: redis, prefix });
      const counts = await events.queue.getJobCounts();
      await events.close();
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    /** The head SHA a deploy command approved for staging on this PR (of `repo`, default acme/app), or null. */
    async approvedSha(pr: number, repo = 'acme/app'): Promise<string | null> {
      const raw = await redis.hget(stagecraftKeys(prefix).approvals(), pullRequestKey(repo, pr));
      return raw === null ? null : (JSON.parse(raw) as { sha: string }).sha;
    },
    /** A queue's jobs by state (waiting, active, completed, failed, …). */
    async jobCounts(name: QueueName = 'events'): Promise<Record<string, number>> {
      const queue = new CatalogQueue(name, { connection: redis, prefix });
      const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
      await queue.close();
      return counts;
    },
    /** Pauses a queue for every worker (jobs added meanwhile wait), or resumes it. */
    async setQueuePaused(name: QueueName, paused: boolean): Promise<void> {
      const queue = new CatalogQueue(name, { connection: redis, prefix });
      await (paused ? queue.queue.pause() : queue.queue.resume());
      await queue.close();
    },
    /** `kill -9` every process of an app; the launcher starts them again, as it would after a crash. */
    killAll(name: AppName): number {
      const labels = stack.apps.filter((a) => a.app === name).map((a) => a.label);
      for (const label of labels) stack.kill(label, 'SIGKILL');
      return labels.length;
    },
    deployLog(): Array<Record<string, unknown>> {
      const file = join(stateDir, 'deploy-log.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    logs(): string {
      return log.join('\n');
    },
    stop: cleanUp,
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
