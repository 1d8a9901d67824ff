import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { deletePrefixedKeys } from '@stagecraft/queue';
import { freePort, startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** Apps that run as services; the CLI is run by people (`stagecraft-app cli …`). */
const SERVICE_APPS = readdirSync(join(ROOT, 'apps')).filter((app) => app !== 'cli');

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const workspacePackages = ['apps', 'packages'].flatMap((dir) =>
  readdirSync(join(ROOT, dir)).map((name) => join(ROOT, dir, name, 'package.json')).filter((file) => existsSync(file)).map(readJson),
);
/** Installed by a production install although no app or package lists them under dependencies. */
const EXPECTED_IN_PRODUCTION: Record<string, string> = {
  typescript: "valibot (of @bull-board/api) names it an optional peer, which the lockfile resolves to the root's typescript",
  '@types/node': '@kubernetes/client-node depends on it',
};
/** What only development needs: devDependencies, and the dependencies of test/, bench/ and the demo. */
const DEVELOPMENT_ONLY = [
  ...new Set([
    ...Object.keys(readJson(join(ROOT, 'package.json')).devDependencies ?? {}),
    ...workspacePackages.flatMap((p) => Object.keys(p.devDependencies ?? {})),
    ...['test', 'bench', 'examples/demo-service'].flatMap((dir) => Object.keys(readJson(join(ROOT, dir, 'package.json')).dependencies ?? {})),
  ]),
].filter((name) => !workspacePackages.some((p) => name in (p.dependencies ?? {})) && !name.startsWith('@stagecraft/') && !(name in EXPECTED_IN_PRODUCTION));

interface RunningApp {
  name: string;
  port: number;
  child: ChildProcess;
  log: string[];
}

/**
 * The container image's production install (deploy/docker/production-install.sh, the script the
 * Dockerfile runs) into a directory outside the checkout, and every app started from it: a runtime
 * import that a package lists only under devDependencies (or not at all) stops an app here, as it
 * would crash-loop the image. Offline, from the pnpm store `pnpm install` filled.
 */
describe('the production install of the container image', () => {
  let tree: string;
  let github: FakeGitHub;
  let redis: Redis;
  const prefix = `scprod-${randomBytes(5).toString('hex')}`;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    const unbuilt = readdirSync(join(ROOT, 'apps')).filter((app) => !existsSync(join(ROOT, 'apps', app, 'dist/main.js')));
    if (unbuilt.length > 0) throw new Error(`apps not built (${unbuilt.join(', ')}): run \`pnpm build\` first`);
    tree = mkdtempSync(join(tmpdir(), 'stagecraft-production-install-'));
    // Node looks for packages in every parent's node_modules: one there would hide a missing dependency.
    const above = ancestors(tree).map((dir) => join(dir, 'node_modules')).filter((dir) => existsSync(dir));
    if (above.length > 0) throw new Error(`${above.join(', ')} would stand in for missing dependencies: run this test with TMPDIR elsewhere`);
    const store = execFileSync('pnpm', ['store', 'path'], { cwd: ROOT, encoding: 'utf8' }).trim();
    await promisify(execFile)('sh', [join(ROOT, 'deploy/docker/production-install.sh'), tree, '--offline', '--store-dir', store], {
      cwd: ROOT,
      timeout: 90_000,
    }).catch((err: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`the production install failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    });
    github = await startFakeGitHub({ owner: 'acme', repo: 'app' });
    // As the kustomize overlays configure the GitHub App, with the fake GitHub for api.github.com.
    writeFileSync(
      join(tree, 'stagecraft.yaml'),
      [
        'github:',
        '  repository: acme/app',
        `  appId: ${github.appId}`,
        `  baseUrl: ${github.baseUrl}`,
        '  privateKey: { env: GITHUB_APP_PRIVATE_KEY }',
        'apps:',
        '  dashboard:',
        '    token: { env: STAGECRAFT_DASHBOARD_TOKEN }',
        '',
      ].join('\n'),
    );
    redis = new Redis(REDIS_URL);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apps.map(stop));
    await github?.close();
    if (redis) {
      await deletePrefixedKeys(redis, prefix);
      redis.disconnect();
    }
    if (tree) rmSync(tree, { recursive: true, force: true });
  }, 30_000);

  /** What the apps get in a cluster, less Kubernetes: the config, its secrets, one Redis prefix, a port each. */
  const env = () => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    STAGECRAFT_CONFIG: join(tree, 'stagecraft.yaml'),
    REDIS_URL,
    STAGECRAFT_REDIS__PREFIX: prefix,
    GITHUB_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
    STAGECRAFT_DASHBOARD_TOKEN: randomBytes(16).toString('hex'),
    GITHUB_APP_PRIVATE_KEY: github.privateKey,
  });

  it('leaves out what only development needs', () => {
    expect(DEVELOPMENT_ONLY).toEqual(expect.arrayContaining(['jest', '@octokit/webhooks-examples', 'playwright-core']));
    const installed = readdirSync(join(tree, 'node_modules/.pnpm'));
    const shipped = DEVELOPMENT_ONLY.filter((name) => installed.some((entry) => entry.startsWith(`${name.replace('/', '+')}@`)));
    expect(shipped).toEqual([]);
  });

  it('starts every app, each answering /readyz', async () => {
    const appEnv = env();
    await Promise.all(
      SERVICE_APPS.map(async (name) => {
        const app = start(name, await freePort(), appEnv);
        apps.push(app);
        await untilReady(app, 60_000);
      }),
    );
    expect(apps.map((a) => a.name).sort()).toEqual([...SERVICE_APPS].sort());
  }, 90_000);

  it('runs the CLI, whose send-webhook builds and signs a webhook without any development dependency', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(tree, 'apps/cli/dist/main.js'), ...args], { cwd: tree, env: env() }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
      );
    expect(await cli('help')).toEqual({ code: 0, stderr: '' });
    // A stand-in ingress: answers 202 and keeps what it was sent.
    const received: Array<{ event: string | undefined; signature: string | undefined; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ event: req.headers['x-github-event'] as string | undefined, signature: req.headers['x-hub-signature-256'] as string | undefined, body: Buffer.concat(chunks).toString() });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const sent = await cli('send-webhook', 'push', '--url', `http://127.0.0.1:${port}/webhooks`, '--secret', 'production-install');
      expect(sent).toEqual({ code: 0, stderr: '' });
      expect(received).toHaveLength(1);
      expect(received[0]!.event).toBe('push');
      expect(received[0]!.signature).toBe(`sha256=${createHmac('sha256', 'production-install').update(received[0]!.body).digest('hex')}`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 30_000);

  function start(name: string, port: number, appEnv: Record<string, string>): RunningApp {
    const child = spawn(process.execPath, [join(tree, 'apps', name, 'dist/main.js')], {
      cwd: tree,
      env: { ...appEnv, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app: RunningApp = { name, port, child, log: [] };
    const collect = (chunk: Buffer) => app.log.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    return app;
  }
});

async function untilReady(app: RunningApp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`${app.name} exited (${app.child.exitCode ?? app.child.signalCode}) before it was ready:\n${app.log.join('\n')}`);
    }
    const res = await fetch(`http://127.0.0.1:${app.port}/readyz`).catch(() => null);
    if (res?.status === 200) return;
    if (res) last = `${res.status} ${await res.text()}`;
    if (Date.now() > deadline) throw new Error(`${app.name} not ready after ${timeoutMs} ms (last /readyz: ${last}):\n${app.log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stop(app: RunningApp): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => app.child.kill('SIGKILL'), 8000);
    app.child.once('exit', () => {
      clearTimeout(timer);
      resolveExit();
    });
    app.child.kill('SIGTERM');
  });
}

function ancestors(dir: string): string[] {
  const parent = dirname(dir);
  return parent === dir ? [] : [parent, ...ancestors(parent)];
}
