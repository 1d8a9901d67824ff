import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
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
});
