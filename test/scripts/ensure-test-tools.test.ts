import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'scripts/ensure-test-tools.mjs');
const { chromiumPlan } = (await import(pathToFileURL(SCRIPT).href)) as {
  chromiumPlan: (o: { chromiumPath?: string; root: boolean; aptGet: boolean; exists: (path: string) => boolean }) => { action: string; chromium: string; line?: string };
};

const run = (env: Record<string, string>) => spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: process.env['PATH']!, ...env } });

describe('scripts/ensure-test-tools.mjs, which `pnpm test` runs first', () => {
  it('does nothing when Chromium is there, at CHROMIUM_PATH or /usr/bin/chromium', () => {
    expect(chromiumPlan({ root: true, aptGet: true, exists: (p) => p === '/usr/bin/chromium' })).toEqual({ action: 'nothing', chromium: '/usr/bin/chromium' });
    const present = run({ CHROMIUM_PATH: process.execPath });
    expect([present.status, present.stdout, present.stderr]).toEqual([0, '', '']);
  });

  it("installs Debian's chromium when it is missing and it runs as root with apt-get", () => {
    expect(chromiumPlan({ root: true, aptGet: true, exists: () => false })).toMatchObject({ action: 'install', chromium: '/usr/bin/chromium' });
  });

  it('otherwise stops with one line saying what to install', () => {
    for (const [root, aptGet] of [[false, true], [true, false], [false, false]] as const) {
      expect(chromiumPlan({ root, aptGet, exists: () => false })).toMatchObject({ action: 'stop', line: expect.stringContaining('apt-get install chromium') });
    }
    // A CHROMIUM_PATH that is wrong is never papered over by an install elsewhere.
    expect(chromiumPlan({ chromiumPath: '/nowhere/chrome', root: true, aptGet: true, exists: () => false })).toMatchObject({ action: 'stop', line: expect.stringContaining('/nowhere/chrome') });
    const missing = run({ CHROMIUM_PATH: join(ROOT, 'no-such-chromium') });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`CHROMIUM_PATH is ${join(ROOT, 'no-such-chromium')}`)]);
  });
});
