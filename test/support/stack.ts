import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { sampleWebhook, signWebhook, webhookHeaders } from '@stagecraft/webhooks';
import { freePort } from './free-port.js';
import { CatalogQueue, deletePrefixedKeys, type QueueName } from '@stagecraft/queue';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export type AppName = 'ingress' | 'scheduler' | 'compose' | 'build' | 'drain' | 'deploy' | 'test-kernel' | 'dashboard' | 'notifier';
export const ALL_APPS: AppName[] = ['ingress', 'scheduler', 'compose', 'build', 'drain', 'deploy', 'test-kernel', 'dashboard'];

interface RunningApp {
  name: AppName;
  child: ChildProcess;
  port: number;
  log: string[];
}

/**
 * Every Stagecraft app as its own process, built from dist/, on real Redis under a random prefix,
 * with the demo service's stage commands writing into a private state dir.
 */
export async function startStack(opts: { env?: Record<string, string>; apps?: AppName[] } = {}) {
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
  const apps: RunningApp[] = [];
  const redis = new Redis(REDIS_URL);

  const startApp = async (name: AppName, extraEnv: Record<string, string> = {}): Promise<RunningApp> => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, `apps/${name}/dist/main.js`)], {
      cwd: ROOT,
      env: { ...env, ...extraEnv, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app: RunningApp = { name, child, port, log: [] };
    const collect = (chunk: Buffer) => app.log.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    apps.push(app);
    await waitUntil(`${name} /healthz`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${app.log.join('\n')}`);
      return (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) || null;
    });
    return app;
  };

  for (const name of opts.apps ?? ALL_APPS) await startApp(name);
  const portOf = (name: AppName) => apps.find((a) => a.name === name && a.child.exitCode === null)!.port;

  return {
    prefix,
    stateDir,
    secret,
    token,
    demoPort,
    apps,
    startApp,
    /** Signs a real example payload like GitHub would and posts it to the ingress. */
    async sendWebhook(name: 'push' | 'pull_request' | 'issue_comment', mutate: (payload: any) => void, action?: string) {
      const sample = sampleWebhook(name, mutate, action);
      const body = JSON.stringify(sample.payload);
      const deliveryId = randomUUID();
      const res = await fetch(`http://127.0.0.1:${portOf('ingress')}/webhooks`, {
        method: 'POST',
        headers: webhookHeaders({ name, deliveryId, signature: await signWebhook(secret, body) }),
        body,
      });
      return { status: res.status, body: await res.json(), deliveryId };
    },
    async api<T = any>(path: string): Promise<T> {
      const res = await fetch(`http://127.0.0.1:${portOf('dashboard')}${path}`, { headers: { authorization: `Bearer ${token}` } });
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
    /** `kill -9` every running process of an app, and waits until they are gone. */
    async killAll(name: AppName): Promise<number> {
      const alive = apps.filter((a) => a.name === name && a.child.exitCode === null && a.child.signalCode === null);
      await Promise.all(alive.map((a) => new Promise<void>((resolveExit) => {
        a.child.once('exit', () => resolveExit());
        a.child.kill('SIGKILL');
      })));
      return alive.length;
    },
    deployLog(): Array<Record<string, unknown>> {
      const file = join(stateDir, 'deploy-log.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    logs(): string {
      return apps.map((a) => a.log.map((l) => `[${a.name}] ${l}`).join('\n')).join('\n');
    },
    async stop() {
      await Promise.all(
        apps.filter((a) => a.child.exitCode === null && a.child.signalCode === null).map(
          (a) =>
            new Promise<void>((resolveExit) => {
              const timer = setTimeout(() => a.child.kill('SIGKILL'), 8000);
              a.child.once('exit', () => {
                clearTimeout(timer);
                resolveExit();
              });
              a.child.kill('SIGTERM');
            }),
        ),
      );
      await new Promise<void>((r) => {
        const stop = spawn(process.execPath, [join(ROOT, 'examples/demo-service/bin/stop.mjs')], { env, stdio: 'ignore' });
        stop.on('exit', () => r());
        stop.on('error', () => r());
      });
      await deletePrefixedKeys(redis, prefix);
      redis.disconnect();
      rmSync(stateDir, { recursive: true, force: true });
    },
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
