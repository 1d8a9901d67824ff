import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parseConfig } from '@stagecraft/config';
import { createLogger } from '@stagecraft/telemetry';
import { localExecutor } from './local-executor.js';

/** What a stage worker's environment holds in production: Stagecraft's own secrets among the rest. */
const WORKER_ENV = {
  GITHUB_WEBHOOK_SECRET: 'hook-s3cret',
  STAGECRAFT_DASHBOARD_TOKEN: 'dash-s3cret',
  REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:6379',
  STAGECRAFT_REDIS__PREFIX: 'prefix-s3cret',
  DEPLOY_KEY: 'key-for-the-command',
};

const CONTEXT = {
  cycleId: 'staging-7',
  env: 'staging',
  stage: 'deploy',
  kind: 'partial' as const,
  sha: 'abc',
  mainSha: 'def',
  components: ['api'],
  rebuild: ['api'],
  prs: [{ repo: 'acme/app', number: 3, sha: 'h3' }],
  repos: [{ repo: 'acme/app', sha: 'abc', mainSha: 'def' }],
  attempt: 1,
};

/** The deploy stage's executor as a worker whose config and environment are these would build it. */
function deployExecutor(deploy: Record<string, unknown>) {
  const lines: string[] = [];
  const logger = createLogger({ app: 'test', level: 'info', destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });
  const config = parseConfig({ stages: { deploy } }, 'stagecraft.yaml', WORKER_ENV);
  const executor = localExecutor.create('deploy', { config, logger, redis: () => { throw new Error('the local executor needs no Redis'); } });
  if (executor === null) throw new Error('expected a local executor');
  return { executor, logLines: lines };
}

describe('the local executor', () => {
  it("gives the command PATH, the cycle's variables and what its env names, none of the worker's own secrets", async () => {
    const saved = Object.fromEntries(Object.keys(WORKER_ENV).map((name) => [name, process.env[name]]));
    Object.assign(process.env, WORKER_ENV);
    try {
      const { executor } = deployExecutor({ command: 'env', env: { DEPLOY_KEY: { env: 'DEPLOY_KEY' }, REGION: 'eu' } });
      const output: string[] = [];
      const outcome = await executor.run(CONTEXT, { signal: new AbortController().signal, log: (line) => output.push(line) });
      expect(outcome.status).toBe('succeeded');
      expect(output.join('\n')).not.toMatch(/s3cret/);
      expect(output).toEqual(
        expect.arrayContaining([
          `PATH=${process.env['PATH']}`,
          'STAGECRAFT_CYCLE=staging-7',
          'STAGECRAFT_STAGE=deploy',
          'STAGECRAFT_PRS=3:h3',
          'DEPLOY_KEY=key-for-the-command',
          'REGION=eu',
        ]),
      );
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('leaves out a variable whose secret is not set, and says so without any value', async () => {
    const { executor, logLines } = deployExecutor({ command: 'echo "${MISSING-unset}|$DEPLOY_KEY"', env: { MISSING: { env: 'NOT_SET_ANYWHERE' }, DEPLOY_KEY: { env: 'DEPLOY_KEY' } } });
    const output: string[] = [];
    await executor.run(CONTEXT, { signal: new AbortController().signal, log: (line) => output.push(line) });
    expect(output).toEqual(['unset|key-for-the-command']);
    expect(logLines.join('')).toContain('stages.deploy.env reads variables that are not set here: the command runs without MISSING (env NOT_SET_ANYWHERE)');
    expect(logLines.join('')).not.toContain('key-for-the-command');
  });

  describe('stops a command with SIGTERM, then waits stages.<stage>.killGrace before SIGKILL', () => {
    let scratch: string;
    beforeEach(() => {
      scratch = mkdtempSync(join(tmpdir(), 'stagecraft-kill-grace-'));
    });
    afterEach(() => {
      rmSync(scratch, { recursive: true, force: true });
    });

    // The cleanup runs in a child of the `sh -c` wrapper, which dies at the SIGTERM itself.
    const cleanupCommand = (dir: string) =>
      `(trap 'echo > "${dir}/got-term"; sleep 1; echo > "${dir}/cleaned-up"; exit 0' TERM; echo ready; while :; do sleep 0.05; done) & wait`;

    it.each([
      ['cancelled', 'cancelled', '3s', true],
      ['cancelled', 'cancelled', '200ms', false],
      ['timed out', 'failed', '3s', true],
      ['timed out', 'failed', '200ms', false],
    ])('when %s (%s) with killGrace %s: cleanup finished %s', async (how, status, killGrace, cleanedUp) => {
      const controller = new AbortController();
      const { executor } = deployExecutor({ command: cleanupCommand(scratch), killGrace, timeout: how === 'timed out' ? '1500ms' : '30s' });
      const outcome = await executor.run(CONTEXT, {
        signal: controller.signal,
        log: (line) => {
          if (line === 'ready' && how === 'cancelled') controller.abort();
        },
      });
      expect(outcome.status).toBe(status);
      await new Promise((r) => setTimeout(r, cleanedUp ? 0 : 1200));
      expect(existsSync(join(scratch, 'got-term'))).toBe(true);
      expect(existsSync(join(scratch, 'cleaned-up'))).toBe(cleanedUp);
    }, 15_000);
  });
});
