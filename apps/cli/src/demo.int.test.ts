import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, portInUse } from '@stagecraft/launcher';
import { findRepoRoot } from './repo-root.js';
import { deletePrefixedKeys } from '@stagecraft/queue';
import { parseConfig } from '@stagecraft/config';

const ROOT = findRepoRoot();
const CLI = join(ROOT, 'apps/cli/dist/main.js');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PORT_KEYS = ['INGRESS', 'DASHBOARD', 'SCHEDULER', 'COMPOSE', 'BUILD', 'DRAIN', 'DEPLOY', 'TEST_KERNEL'];

/**
 * `stagecraft demo --exit-after-cycle` as a newcomer runs it (built CLI and apps, the example
 * config), in a scratch directory, with its ports, Redis prefix, demo state and timings moved
 * aside so it can run beside anything else.
 */
describe('stagecraft demo --exit-after-cycle', () => {
  let cwd: string;
  let prefix: string;
  let ports: number[];
  const redis = new Redis(REDIS_URL);

  beforeEach(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (pnpm build)`);
    cwd = mkdtempSync(join(tmpdir(), 'stagecraft-demo-'));
    prefix = `sccli-${randomBytes(4).toString('hex')}`;
    ports = [];
    for (let i = 0; i < PORT_KEYS.length + 1; i++) ports.push(await freePort());
  });

  afterEach(async () => {
    await deletePrefixedKeys(redis, prefix);
    rmSync(cwd, { recursive: true, force: true });
  });

  afterAll(() => redis.disconnect());

  const runDemo = (extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        REDIS_URL,
        STAGECRAFT_REDIS__PREFIX: prefix,
        STAGECRAFT_POLICY__SETTLE: '300ms',
        STAGECRAFT_POLICY__SETTLE_MAX: '1s',
        STAGECRAFT_POLICY__THROTTLE: '1s',
        DEMO_STATE_DIR: join(cwd, 'demo-state'),
        DEMO_PORT: String(ports[PORT_KEYS.length]),
        DEMO_DEPLOY_MS: '300',
        DEMO_ITEM_MS: '10',
        ...Object.fromEntries(PORT_KEYS.map((key, i) => [`STAGECRAFT_APPS__${key}__PORT`, String(ports[i])])),
        ...extraEnv,
      };
      const child = spawn(process.execPath, [CLI, 'demo', '--exit-after-cycle'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });

  it('runs the first cycle through every stage, exits 0 and leaves nothing running, beside whatever holds the default metrics ports', async () => {
    // As a second stack would: the CLI must give every app a free metrics port, not the configured one.
    const held = await holdDefaultMetricsPorts();
    const { code, output } = await runDemo().finally(() => Promise.all(held.map((server) => new Promise((r) => server.close(r)))));
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('generated a webhook secret for this run, in .stagecraft/webhook-secret');
    expect(output).toContain('generated a dashboard token for this run, in .stagecraft/dashboard-token');
    expect(output).toMatch(/sent a signed push to main \([0-9a-f]{7}\) touching examples\/demo-service\/src\/server\.mjs: 202/);
    expect(output).toMatch(/sent a signed pull_request opened: #1 by Codertocat at [0-9a-f]{7}: 202/);
    expect(output).toMatch(/cycle staging-1 started: full with PR #1/);
    for (const stage of ['compose', 'build', 'drain', 'deploy', 'test-kernel']) {
      expect(output).toMatch(new RegExp(`✓ ${stage} +succeeded`));
    }
    expect(output).toMatch(/cycle staging-1 succeeded in [\dmsh.]+:/);
    expect(output).toContain('every app has stopped');
    for (const file of ['webhook-secret', 'dashboard-token']) {
      const path = join(cwd, '.stagecraft', file);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const secret = readFileSync(path, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(output).not.toContain(secret);
    }
    for (const port of ports) expect(await portInUse(port)).toBe(false);
  }, 120_000);

  it('exits 1 when the cycle fails', async () => {
    const { code, output } = await runDemo({ DEMO_FAIL_BUILD: '1' });
    expect(output).toMatch(/✗ build +failed/);
    expect(output).toMatch(/cycle staging-1 failed in [\dmsh.]+ in build: .* — `stagecraft status --cycle staging-1` shows the output/);
    expect(code).toBe(1);
  }, 120_000);
});

/** Listens on every app's default metrics port that is free (one that is not is held already). */
async function holdDefaultMetricsPorts(): Promise<Server[]> {
  const ports = Object.values(parseConfig({}, 'defaults', {}).apps).map((app) => app.metricsPort);
  const held: Server[] = [];
  for (const port of ports) {
    const server = createServer();
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, () => resolve(true));
    });
    if (listening) held.push(server);
  }
  return held;
}
