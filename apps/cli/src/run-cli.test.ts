import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { CliIo } from './cli-io.js';
import { runCli } from './run-cli.js';

const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd: '/nonexistent', isTty: false };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
};

describe('runCli', () => {
  it.each([[['help']], [['--help']], [['status', '-h']]])('%j prints the usage on stdout and exits 0', async (argv) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: stagecraft <command> \[options\]/);
    for (const command of ['start', 'demo', 'status', 'send-webhook', 'simulate', 'config check', 'help']) {
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(err).toBe('');
  });

  it.each([
    [['launch'], 'stagecraft: unknown command "launch"\n\nUsage:'],
    [[], 'stagecraft: no command given\n\nUsage:'],
  ])('%j prints the problem and the usage on stderr and exits 2', async (argv, start) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.startsWith(start)).toBe(true);
  });

  it.each([
    ['in redis.url', 'redis:\n  url: redis://user:s3cret@host:6379/0\n', {}, 'redis://user:***@host:6379/0'],
    ['in REDIS_URL', '', { REDIS_URL: 'redis://:s3cret@host:6379' }, 'redis://:***@host:6379'],
  ])('config check masks a Redis password %s', async (_case, yaml, env, shown) => {
    const dir = mkdtempSync(join(tmpdir(), 'stagecraft-config-check-'));
    try {
      writeFileSync(join(dir, 'stagecraft.yaml'), yaml);
      const { code, out } = await run(['config', 'check', '--config', join(dir, 'stagecraft.yaml')], env);
      expect(code).toBe(0);
      expect(out).toContain(`url: ${shown}`);
      expect(out).not.toContain('s3cret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a usage error as its message alone and exits 2', async () => {
    const { code, err } = await run(['start', '--replicas', 'deploy=x']);
    expect(code).toBe(2);
    expect(err).toBe('--replicas takes app=count (e.g. deploy=2), got "deploy=x"\nRun `stagecraft help` to see the commands and their options.\n');
  });
});
