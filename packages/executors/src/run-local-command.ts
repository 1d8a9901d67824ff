import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineBuffer } from './line-buffer.js';

export interface LocalCommandOptions {
  /** Run with /bin/sh -c in a process group of its own. */
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  /** Abort → the whole process group is stopped. */
  signal?: AbortSignal;
  /** SIGTERM to the group, then SIGKILL after this long. */
  killGraceMs?: number;
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  outputTailLines?: number;
}

export interface LocalCommandResult {
  status: 'succeeded' | 'failed' | 'timed-out' | 'aborted';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  outputTail: string[];
  /** JSON the command wrote to $STAGECRAFT_RESULTS, or null. */
  results: unknown;
}

// Lives beside src/ and dist/ alike, so the same path works from tests and from the build.
const WATCHDOG = fileURLToPath(new URL('../watchdog.cjs', import.meta.url));

/**
 * Runs a stage command under watchdog.cjs, the leader of its own process group: a timeout or an
 * abort stops every process the command started, and so does the death of this process.
 */
export async function runLocalCommand(opts: LocalCommandOptions): Promise<LocalCommandResult> {
  const started = Date.now();
  const tail: string[] = [];
  const tailMax = opts.outputTailLines ?? 50;
  const note = (line: string, stream: 'stdout' | 'stderr') => {
    tail.push(line);
    if (tail.length > tailMax) tail.shift();
    opts.onOutput?.(line, stream);
  };
  if (opts.signal?.aborted) {
    return { status: 'aborted', exitCode: null, signal: null, durationMs: 0, outputTail: [], results: null };
  }

  const resultsFile = join(tmpdir(), `stagecraft-results-${randomBytes(8).toString('hex')}.json`);
  const graceMs = opts.killGraceMs ?? 5000;
  const child = spawn(process.execPath, [WATCHDOG, String(graceMs)], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, STAGECRAFT_RESULTS: resultsFile, STAGECRAFT_WATCHDOG_COMMAND: opts.command },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout = new LineBuffer((l) => note(l, 'stdout'));
  const stderr = new LineBuffer((l) => note(l, 'stderr'));
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  // stdin stays open and unwritten: it is the watchdog's lifeline to this process.
  child.stdin.on('error', () => undefined);

  let stopReason: 'timed-out' | 'aborted' | null = null;
  const stop = (reason: 'timed-out' | 'aborted') => {
    if (stopReason || child.exitCode !== null) return;
    stopReason = reason;
    signalGroup(child.pid, 'SIGTERM');
    setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs).unref();
  };
  const timer = setTimeout(() => stop('timed-out'), opts.timeoutMs);
  const onAbort = () => stop('aborted');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  stdout.flush();
  stderr.flush();
  child.stdin.destroy();
  if (exit.error) note(`cannot start the command: ${exit.error.message}`, 'stderr');

  const results = await readResults(resultsFile);
  const status = stopReason ?? (exit.code === 0 ? 'succeeded' : 'failed');
  return { status, exitCode: exit.code, signal: exit.signal, durationMs: Date.now() - started, outputTail: tail, results };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group has already exited
  }
}

async function readResults(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  } finally {
    await rm(file, { force: true });
  }
}
