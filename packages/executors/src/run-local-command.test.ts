import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runLocalCommand } from './run-local-command.js';
import { stageEnv } from './stage-env.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitDead = async (pid: number) => {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
};
const firstPid = (lines: string[]) => Number(lines.find((l) => /^\d+$/.test(l)));

describe('runLocalCommand', () => {
  it.each([
    ['exit 0', 'echo one; echo two >&2; echo three', 'succeeded', 0],
    ['a non-zero exit', 'echo failing; exit 3', 'failed', 3],
    ['a missing command', 'definitely-not-a-command-xyz', 'failed', 127],
  ])('reports %s', async (_name, command, status, exitCode) => {
    const result = await runLocalCommand({ command, timeoutMs: 5000 });
    expect(result.status).toBe(status);
    expect(result.exitCode).toBe(exitCode);
  });

  it('streams output line by line from both streams', async () => {
    const seen: Array<[string, string]> = [];
    const result = await runLocalCommand({
      command: 'printf "a\\nb"; sleep 0.05; printf "c\\n"; echo err >&2',
      timeoutMs: 5000,
      onOutput: (line, stream) => seen.push([line, stream]),
    });
    expect(seen).toEqual(expect.arrayContaining([['a', 'stdout'], ['bc', 'stdout'], ['err', 'stderr']]));
    expect(result.outputTail).toEqual(expect.arrayContaining(['a', 'bc', 'err']));
  });

  it('keeps only the last lines in the tail', async () => {
    const result = await runLocalCommand({ command: 'seq 1 100', timeoutMs: 5000, outputTailLines: 3 });
    expect(result.outputTail).toEqual(['98', '99', '100']);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const lines: string[] = [];
    const result = await runLocalCommand({
      command: 'sleep 30 & echo $!; wait',
      timeoutMs: 300,
      killGraceMs: 500,
      onOutput: (l) => lines.push(l),
    });
    expect(result.status).toBe('timed-out');
    expect(await waitDead(firstPid(lines))).toBe(true);
  });

  it('kills the group when aborted mid-run', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const run = runLocalCommand({
      command: 'sleep 30 & echo $!; wait',
      timeoutMs: 10_000,
      killGraceMs: 500,
      signal: controller.signal,
      onOutput: (l) => {
        lines.push(l);
        controller.abort();
      },
    });
    const result = await run;
    expect(result.status).toBe('aborted');
    expect(await waitDead(firstPid(lines))).toBe(true);
  });

  it('starts nothing when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runLocalCommand({ command: 'touch /tmp/should-not-exist-$$', timeoutMs: 1000, signal: controller.signal });
    expect(result).toMatchObject({ status: 'aborted', exitCode: null, durationMs: 0 });
  });

  it.each([
    ['valid JSON', `echo '{"sha":"abc","passed":3}' > "$STAGECRAFT_RESULTS"`, { sha: 'abc', passed: 3 }],
    ['invalid JSON', `echo 'not json' > "$STAGECRAFT_RESULTS"`, null],
    ['no file', 'true', null],
  ])('reads results from $STAGECRAFT_RESULTS: %s', async (_name, command, expected) => {
    expect((await runLocalCommand({ command, timeoutMs: 5000 })).results).toEqual(expected);
  });

  it('passes the cycle context in the environment', async () => {
    const env = stageEnv({
      cycleId: 'staging-4',
      env: 'staging',
      stage: 'deploy',
      kind: 'partial',
      sha: 'abc',
      mainSha: 'def',
      components: ['api', 'web'],
      rebuild: ['api'],
      prs: [{ number: 12, sha: '123' }, { number: 15, sha: '456' }],
      attempt: 2,
    });
    const lines: string[] = [];
    await runLocalCommand({
      command: 'echo "$STAGECRAFT_CYCLE|$STAGECRAFT_KIND|$STAGECRAFT_SHA|$STAGECRAFT_COMPONENTS|$STAGECRAFT_REBUILD|$STAGECRAFT_PRS|$STAGECRAFT_ATTEMPT"',
      env,
      timeoutMs: 5000,
      onOutput: (l) => lines.push(l),
    });
    expect(lines).toEqual(['staging-4|partial|abc|api,web|api|12:123,15:456|2']);
  });
});

describe('watchdog.cjs', () => {
  it('kills the command when the process that started it goes away', async () => {
    const watchdog = fileURLToPath(new URL('../watchdog.cjs', import.meta.url));
    const child = spawn(process.execPath, [watchdog, '500'], {
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, STAGECRAFT_WATCHDOG_COMMAND: 'sleep 30 & echo $!; wait' },
    });
    const pid = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    expect(alive(pid)).toBe(true);
    // What the kernel does to the pipe when its parent dies, even by SIGKILL.
    child.stdin.end();
    expect(await waitDead(pid)).toBe(true);
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  });
});
