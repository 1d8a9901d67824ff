import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { hasLiveGroupMember } from './has-live-group-member.js';
import { isAlive, waitDead } from './test-support/processes.js';

const WATCHDOG = fileURLToPath(new URL('../watchdog.cjs', import.meta.url));

describe('watchdog.cjs', () => {
  it.each([
    ['a command that exits on SIGTERM', 'sleep 30 & echo $!; wait'],
    ['a command whose shell dies while a child ignores SIGTERM', '(trap "" TERM; exec sleep 30) & echo $!; wait'],
    ['a command that ignores SIGTERM altogether', 'trap "" TERM; sleep 30 & echo $!; wait'],
  ])('stops %s when the process that started it goes away', async (_name, command) => {
    const child = spawn(process.execPath, [WATCHDOG, '300'], {
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, STAGECRAFT_WATCHDOG_COMMAND: command },
    });
    const exited = new Promise((r) => child.once('exit', r));
    const pid = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    expect(isAlive(pid)).toBe(true);
    // What the kernel does to the pipe when its parent dies, even by SIGKILL.
    child.stdin.end();
    await exited;
    expect(await waitDead(pid)).toBe(true);
  });

  describe('when the worker dies by SIGKILL', () => {
    let scratch: string;
    beforeEach(() => {
      scratch = mkdtempSync(join(tmpdir(), 'stagecraft-watchdog-test-'));
    });
    afterEach(() => {
      rmSync(scratch, { recursive: true, force: true });
    });

    /**
     * A worker stand-in starts the watchdog as runLocalCommand does (its own group, stdin the
     * lifeline) and is then killed with SIGKILL. The command's cleanup runs in a child of the
     * `sh -c` wrapper, so the wrapper dies at the first SIGTERM while the cleanup goes on.
     */
    async function killWorkerDuringCleanup(graceMs: number) {
      const term = join(scratch, 'got-term');
      const done = join(scratch, 'cleaned-up');
      const command = `(trap 'echo > "${term}"; sleep 1; echo > "${done}"; exit 0' TERM; echo ready; while :; do sleep 0.05; done) & wait`;
      const worker = spawn(
        process.execPath,
        [
          '-e',
          `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(WATCHDOG)}, '${graceMs}'], { detached: true, stdio: ['pipe', 'inherit', 'inherit'] });
           console.log(c.pid); setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STAGECRAFT_WATCHDOG_COMMAND: command } },
      );
      const lines: string[] = [];
      await new Promise<void>((resolve) =>
        worker.stdout.on('data', (d: Buffer) => {
          lines.push(...d.toString().split('\n').filter(Boolean));
          if (lines.includes('ready')) resolve();
        }),
      );
      const watchdog = Number(lines[0]);
      const killedAt = Date.now();
      worker.kill('SIGKILL');
      // The watchdog leaves once its group is gone, or is killed with it when the grace is over.
      while (isAlive(watchdog) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 20));
      const watchdogGoneAfterMs = Date.now() - killedAt;
      // Long enough for a cleanup that had not been killed to have finished.
      await new Promise((r) => setTimeout(r, 1500));
      return { gotTerm: existsSync(term), cleanedUp: existsSync(done), watchdogGoneAfterMs, groupLeft: await hasLiveGroupMember(watchdog) };
    }

    it('gives the command SIGTERM and lets it finish its cleanup within the kill grace', async () => {
      const result = await killWorkerDuringCleanup(3000);
      expect(result).toMatchObject({ gotTerm: true, cleanedUp: true, groupLeft: false });
      // It did not wait out the whole grace once the command was gone.
      expect(result.watchdogGoneAfterMs).toBeLessThan(2900);
    }, 15_000);

    it('kills the command with SIGKILL once the kill grace is over', async () => {
      const result = await killWorkerDuringCleanup(200);
      expect(result).toMatchObject({ gotTerm: true, cleanedUp: false, groupLeft: false });
    }, 15_000);
  });
});
