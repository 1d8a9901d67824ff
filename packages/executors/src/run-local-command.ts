import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidCommandOptionsError } from './errors/invalid-command-options-error.js';
import { inheritedEnv } from './inherited-env.js';
import { LineSplitter } from './line-splitter.js';
import { ProcessGroup } from './process-group.js';

export interface LocalCommandOptions {
  /** Run with /bin/sh -c in a process group of its own. */
  command: string;
  cwd?: string;
  /** The command's environment, over the few variables it inherits (see INHERITED_VARIABLES): nothing else of this process's reaches it. */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Abort → the whole process group is stopped. */
  signal?: AbortSignal;
  /** SIGTERM to the group, then SIGKILL after this long (default 5000). */
  killGraceMs?: number;
  /** Each complete line as it arrives. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How many of the last lines the result keeps (default 50). */
  outputTailLines?: number;
}

export interface LocalCommandResult {
  status: 'succeeded' | 'failed' | 'timed-out' | 'aborted';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** The last lines of stdout and stderr, interleaved as they arrived. */
  outputTail: string[];
  /** JSON the command wrote to $STAGECRAFT_RESULTS, or null (none written, or not JSON). */
  results: unknown;
  /** Why the file the command wrote to $STAGECRAFT_RESULTS could not be read as JSON; null when it could, or there was none. */
  resultsError: string | null;
}

// A command printing megabytes without a newline is passed on in pieces of this length.
const MAX_LINE_LENGTH = 64 * 1024;

// Lives beside src/ and dist/ alike, so the same path works from tests and from the build.
const WATCHDOG = fileURLToPath(new URL('../watchdog.cjs', import.meta.url));

/**
 * Runs a stage command under watchdog.cjs, the leader of its own process group: a timeout or an
 * abort stops every process the command started, and so does the death of this process. Whatever
 * the command leaves running in its group when it exits is stopped too, so nothing it started
 * overlaps with the next run (a command that means to leave a service running starts it in a
 * session of its own, e.g. with setsid). Resolves once the group is gone.
 */
export async function runLocalCommand(opts: LocalCommandOptions): Promise<LocalCommandResult> {
  validate(opts);
  const started = Date.now();
  const tail: string[] = [];
  const tailMax = opts.outputTailLines ?? 50;
  const note = (line: string, stream: 'stdout' | 'stderr') => {
    if (tailMax > 0) tail.push(line);
    if (tail.length > tailMax) tail.shift();
    opts.onOutput?.(line, stream);
  };
  if (opts.signal?.aborted) {
    return { status: 'aborted', exitCode: null, signal: null, durationMs: 0, outputTail: [], results: null, resultsError: null };
  }

  const resultsFile = join(tmpdir(), `stagecraft-results-${randomBytes(8).toString('hex')}.json`);
  const graceMs = opts.killGraceMs ?? 5000;
  const child = spawn(process.execPath, [WATCHDOG, String(graceMs)], {
    cwd: opts.cwd,
    env: { ...inheritedEnv(process.env), ...opts.env, STAGECRAFT_RESULTS: resultsFile, STAGECRAFT_WATCHDOG_COMMAND: opts.command },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const group = new ProcessGroup(child.pid, graceMs);
  const stdout = new LineSplitter({ maxLineLength: MAX_LINE_LENGTH });
  const stderr = new LineSplitter({ maxLineLength: MAX_LINE_LENGTH });
  child.stdout.on('data', (c: Buffer) => stdout.push(c).forEach((l) => note(l, 'stdout')));
  child.stderr.on('data', (c: Buffer) => stderr.push(c).forEach((l) => note(l, 'stderr')));
  // stdin stays open and unwritten: it is the watchdog's lifeline to this process.
  child.stdin.on('error', () => undefined);
  const outputClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  let stopReason: 'timed-out' | 'aborted' | null = null;
  const stop = (reason: 'timed-out' | 'aborted') => {
    if (stopReason) return;
    stopReason = reason;
    group.terminate();
  };
  const timer = setTimeout(() => stop('timed-out'), opts.timeoutMs);
  const onAbort = () => stop('aborted');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);

  if (exit.error) {
    note(`cannot start the command in ${opts.cwd ?? process.cwd()}: ${exit.error.message}; check that the stage's cwd exists and is a directory`, 'stderr');
  } else {
    await group.stop();
    // With the group gone only a process that left it (setsid) can still hold the pipes open.
    const closed = await Promise.race([outputClosed.then(() => true), delay(Math.min(graceMs, 1000)).then(() => false)]);
    if (!closed) {
      child.stdout.destroy();
      child.stderr.destroy();
      note('stopped reading output: a process that left the command\'s process group still holds its stdout or stderr open', 'stderr');
    }
  }
  group.dispose();
  child.stdin.destroy();
  stdout.end().forEach((l) => note(l, 'stdout'));
  stderr.end().forEach((l) => note(l, 'stderr'));

  const { results, error: resultsError } = await readResults(resultsFile);
  const status = stopReason ?? (exit.code === 0 ? 'succeeded' : 'failed');
  return { status, exitCode: exit.code, signal: exit.signal, durationMs: Date.now() - started, outputTail: tail, results, resultsError };
}

function validate(opts: LocalCommandOptions): void {
  if (typeof opts.command !== 'string' || opts.command.trim() === '') throw new InvalidCommandOptionsError('command', opts.command);
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) throw new InvalidCommandOptionsError('timeoutMs', opts.timeoutMs);
  for (const option of ['killGraceMs', 'outputTailLines'] as const) {
    const value = opts[option];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new InvalidCommandOptionsError(option, value);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The file's JSON; nothing when it was not written or left empty; the parse error when it is not JSON. */
async function readResults(file: string): Promise<{ results: unknown; error: string | null }> {
  try {
    const text = await readFile(file, 'utf8');
    if (text.trim() === '') return { results: null, error: null };
    return { results: JSON.parse(text) as unknown, error: null };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { results: null, error: null };
    return { results: null, error: (err as Error).message };
  } finally {
    await rm(file, { force: true });
  }
}
