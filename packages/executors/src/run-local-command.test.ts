import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidCommandOptionsError } from './errors/invalid-command-options-error.js';
import { INHERITED_VARIABLES } from './inherited-env.js';
import { runLocalCommand, type LocalCommandOptions } from './run-local-command.js';
import { stageEnv } from './stage-env.js';
import { echoedPid, isAlive } from './test-support/processes.js';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'stagecraft-exec-test-'));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function run(opts: Partial<LocalCommandOptions> & { command: string }) {
  const lines: Array<[string, 'stdout' | 'stderr']> = [];
  const result = await runLocalCommand({ timeoutMs: 5000, killGraceMs: 300, onOutput: (l, s) => lines.push([l, s]), ...opts });
  return { result, lines, stdout: lines.filter(([, s]) => s === 'stdout').map(([l]) => l) };
}

describe('runLocalCommand', () => {
  it.each([
    ['exit 0', 'echo one; echo two >&2; echo three', 'succeeded', 0, null],
    ['a non-zero exit', 'echo failing; exit 3', 'failed', 3, null],
    ['a missing command', 'definitely-not-a-command-xyz', 'failed', 127, null],
    ['death by a signal', 'kill -KILL $$', 'failed', null, 'SIGKILL'],
  ])('reports %s', async (_name, command, status, exitCode, signal) => {
    const { result } = await run({ command });
    expect(result).toMatchObject({ status, exitCode, signal, results: null });
  });

  it('streams each line while the command is still running', async () => {
    // The command waits for a file the test creates only after seeing the first line.
    const go = join(scratch, 'go');
    const result = await runLocalCommand({
      command: 'echo ready; while [ ! -e "$GO" ]; do sleep 0.02; done; echo done',
      env: { GO: go },
      timeoutMs: 3000,
      onOutput: (line) => {
        if (line === 'ready') writeFileSync(go, '');
      },
    });
    expect(result.status).toBe('succeeded');
    expect(result.outputTail).toEqual(['ready', 'done']);
  });

  it('joins a line written in pieces and tells the streams apart', async () => {
    const { result, lines } = await run({ command: 'printf "a\\nb"; sleep 0.05; printf "c\\n"; echo err >&2' });
    expect(lines).toEqual(expect.arrayContaining([['a', 'stdout'], ['bc', 'stdout'], ['err', 'stderr']]));
    expect(lines).toHaveLength(3);
    expect(result.outputTail).toEqual(expect.arrayContaining(['a', 'bc', 'err']));
  });

  it.each([
    [3, ['98', '99', '100']],
    [0, []],
  ])('keeps only the last %i lines in the tail', async (outputTailLines, expected) => {
    const { result, lines } = await run({ command: 'seq 1 100', outputTailLines });
    expect(result.outputTail).toEqual(expected);
    expect(lines).toHaveLength(100);
  });

  it('keeps 50 lines by default', async () => {
    const { result } = await run({ command: 'seq 1 100' });
    expect(result.outputTail).toHaveLength(50);
    expect(result.outputTail[0]).toBe('51');
  });

  it.each([
    ['exits on SIGTERM', 'sleep 30 & echo $!; wait', 'SIGTERM'],
    ['ignores SIGTERM and needs SIGKILL', 'trap "" TERM; sleep 30 & echo $!; wait', 'SIGKILL'],
  ])('on timeout stops a command that %s, grandchildren included', async (_name, command, signal) => {
    // Long enough for the watchdog and shell to start on a loaded machine; the command itself waits 30 s.
    const { result, stdout } = await run({ command, timeoutMs: 1500, killGraceMs: 300 });
    expect(result).toMatchObject({ status: 'timed-out', exitCode: null, signal });
    expect(isAlive(echoedPid(stdout))).toBe(false);
  });

  it('stops the whole group when aborted mid-run', async () => {
    const controller = new AbortController();
    const result = await runLocalCommand({
      command: 'sleep 30 & echo $!; wait',
      timeoutMs: 10_000,
      killGraceMs: 300,
      signal: controller.signal,
      onOutput: () => controller.abort(),
    });
    expect(result).toMatchObject({ status: 'aborted', signal: 'SIGTERM' });
    expect(isAlive(echoedPid(result.outputTail))).toBe(false);
  });

  it('starts nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(scratch, 'ran');
    const result = await runLocalCommand({ command: `touch ${marker}`, timeoutMs: 1000, signal: controller.signal });
    expect(result).toEqual({ status: 'aborted', exitCode: null, signal: null, durationMs: 0, outputTail: [], results: null, resultsError: null });
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['holding the output pipe', 'sleep 30 & echo $!'],
    ['with its output redirected', 'sleep 30 >/dev/null 2>&1 & echo $!'],
  ])('stops what a successful command left running in its group, %s', async (_name, command) => {
    const { result, stdout } = await run({ command });
    expect(result).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(isAlive(echoedPid(stdout))).toBe(false);
  });

  it.each([
    ['valid JSON', `echo '{"sha":"abc","passed":3}' > "$STAGECRAFT_RESULTS"`, { sha: 'abc', passed: 3 }, null],
    ['invalid JSON', `echo 'not json' > "$STAGECRAFT_RESULTS"`, null, expect.stringMatching(/JSON/)],
    ['an empty file', `: > "$STAGECRAFT_RESULTS"`, null, null],
    ['no file', 'true', null, null],
  ])('reads results from $STAGECRAFT_RESULTS: %s, and removes the file', async (_name, command, expected, error) => {
    const { result, stdout } = await run({ command: `echo "$STAGECRAFT_RESULTS"; ${command}` });
    expect(result.results).toEqual(expected);
    expect(result.resultsError).toEqual(error);
    expect(stdout[0]).toMatch(/stagecraft-results-/);
    expect(existsSync(stdout[0]!)).toBe(false);
  });

  it('passes on PATH, HOME and the locale but none of its own secrets, then the given env, and hides its own plumbing', async () => {
    const parent = {
      GITHUB_WEBHOOK_SECRET: 'hook-s3cret',
      STAGECRAFT_DASHBOARD_TOKEN: 'dash-s3cret',
      REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:6379',
      STAGECRAFT_GITHUB__APP_ID: '4242',
      GITHUB_PRIVATE_KEY: 'key-s3cret',
      LANG: 'C.UTF-8',
    };
    const saved = Object.fromEntries(Object.keys(parent).map((name) => [name, process.env[name]]));
    Object.assign(process.env, parent);
    try {
      const { stdout } = await run({ command: 'env', env: { STAGECRAFT_CYCLE: 'staging-1', DEPLOY_KEY: 'given' } });
      const names = stdout.map((line) => line.slice(0, line.indexOf('=')));
      expect(stdout.join('\n')).not.toMatch(/s3cret|4242/);
      for (const name of ['GITHUB_WEBHOOK_SECRET', 'STAGECRAFT_DASHBOARD_TOKEN', 'REDIS_URL', 'STAGECRAFT_GITHUB__APP_ID', 'GITHUB_PRIVATE_KEY', 'STAGECRAFT_WATCHDOG_COMMAND']) {
        expect(names).not.toContain(name);
      }
      expect(stdout).toEqual(expect.arrayContaining([`PATH=${process.env['PATH']}`, 'LANG=C.UTF-8', 'STAGECRAFT_CYCLE=staging-1', 'DEPLOY_KEY=given']));
      // Only the inherited variables, what was given, the results file and what sh itself sets.
      const allowed = new Set([...INHERITED_VARIABLES, 'STAGECRAFT_CYCLE', 'DEPLOY_KEY', 'STAGECRAFT_RESULTS', 'PWD', 'SHLVL', 'OLDPWD', '_']);
      expect(names.filter((name) => !allowed.has(name))).toEqual([]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
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
      prs: [{ repo: 'acme/app', number: 12, sha: '123' }, { repo: 'acme/app', number: 15, sha: '456' }],
      repos: [{ repo: 'acme/app', sha: 'abc', mainSha: 'def' }],
      attempt: 2,
    });
    const { stdout } = await run({
      command: 'echo "$STAGECRAFT_CYCLE|$STAGECRAFT_STAGE|$STAGECRAFT_KIND|$STAGECRAFT_SHA|$STAGECRAFT_COMPONENTS|$STAGECRAFT_REBUILD|$STAGECRAFT_PRS|$STAGECRAFT_ATTEMPT"',
      env,
    });
    expect(stdout).toEqual(['staging-4|deploy|partial|abc|api,web|api|12:123,15:456|2']);
  });

  it('runs in the given directory', async () => {
    const { stdout } = await run({ command: 'pwd', cwd: scratch });
    expect(stdout).toEqual([scratch]);
  });

  it('fails with the reason in the tail when it cannot start', async () => {
    const cwd = join(scratch, 'missing');
    const { result } = await run({ command: 'true', cwd });
    expect(result).toMatchObject({ status: 'failed', exitCode: null, signal: null, results: null });
    expect(result.outputTail).toHaveLength(1);
    expect(result.outputTail[0]).toContain(cwd);
    expect(result.outputTail[0]).toContain('ENOENT');
  });

  it.each([
    ['an empty command', { command: '  ' }, 'command'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
    ['a NaN timeout', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['a negative kill grace', { killGraceMs: -1 }, 'killGraceMs'],
    ['a negative tail length', { outputTailLines: -5 }, 'outputTailLines'],
  ])('rejects %s', async (_name, override, option) => {
    const promise = runLocalCommand({ command: 'true', timeoutMs: 1000, ...override });
    await expect(promise).rejects.toBeInstanceOf(InvalidCommandOptionsError);
    await expect(promise).rejects.toMatchObject({ option, name: 'InvalidCommandOptionsError' });
  });
});
