import { formatDuration } from '@stagecraft/policy';
import { spawn } from 'node:child_process';
import { LineSplitter } from '@stagecraft/executors';
import { findExecutable } from './find-executable.js';
import { stopChild } from './stop-child.js';
import { pingRedis } from './ping-redis.js';
import { redactUrl } from '@stagecraft/config';
import { RedisUnavailableError } from './errors/redis-unavailable-error.js';
import { LaunchFailure } from './errors/launch-failure.js';

export interface EnsureRedisOptions {
  /** Where to look for redis-server (default: this process's PATH). */
  path?: string | undefined;
  connectTimeoutMs?: number;
  /** How long a started redis-server may take to answer. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RedisHandle {
  url: string;
  /** The redis-server started for this run; null when a Redis was already answering. */
  privateServer: { pid: number; host: string; port: number } | null;
  /** Stops the private redis-server, if one was started; otherwise does nothing. */
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Makes sure a Redis answers at `url`: uses the one that does, or, for a local URL with
 * redis-server installed, starts a private throwaway one (no persistence) that lives as long as
 * this process. Anything else is one clear line for the operator.
 */
export async function ensureRedis(url: string, options: EnsureRedisOptions = {}): Promise<RedisHandle> {
  const { connectTimeoutMs = 800, startTimeoutMs = 10_000, log = () => {} } = options;
  const shown = redactUrl(url);
  if (await pingRedis(url, connectTimeoutMs)) return { url, privateServer: null, stop: async () => {} };

  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' || !LOCAL_HOSTS.has(parsed.hostname)) throw new RedisUnavailableError(shown, 'remote');
  const executable = findExecutable('redis-server', options.path ?? process.env['PATH']);
  if (executable === null) throw new RedisUnavailableError(shown, 'not-installed');

  const host = parsed.hostname === '::1' || parsed.hostname === '[::1]' ? '::1' : '127.0.0.1';
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const password = decodeURIComponent(parsed.password);
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'];
  if (password !== '') args.push('--requirepass', password);
  // Its own process group: a Ctrl-C in the terminal must not stop Redis before the apps using it.
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // The last lines it printed, for the message when it does not come up.
  const output: string[] = [];
  const keep = (splitter: LineSplitter) => (chunk: Buffer) => {
    output.push(...splitter.push(chunk).filter(Boolean));
    output.splice(0, output.length - 20);
  };
  child.stdout!.on('data', keep(new LineSplitter()));
  child.stderr!.on('data', keep(new LineSplitter()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const handle: RedisHandle = {
    url,
    privateServer: { pid: child.pid!, host, port },
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child, 5000);
    },
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      process.removeListener('exit', killOnExit);
      throw new LaunchFailure(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering on ${host}:${port}: ${output.slice(-3).join(' | ') || 'no output'}`);
    }
    if (await pingRedis(url, connectTimeoutMs)) break;
    if (Date.now() > deadline) {
      await handle.stop();
      throw new LaunchFailure(`started redis-server on ${host}:${port} but it did not answer within ${formatDuration(startTimeoutMs)}: ${output.slice(-3).join(' | ') || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`started a private redis-server on ${host.includes(':') ? `[${host}]` : host}:${port} (stops with stagecraft)`);
  return handle;
}
