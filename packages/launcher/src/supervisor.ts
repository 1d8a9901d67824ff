import { formatDuration } from '@stagecraft/policy';
import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from '@stagecraft/executors';
import { stopChild } from './stop-child.js';

export interface ProcessSpec {
  /** Shown in front of its log lines, e.g. `deploy` or `deploy#2`. */
  label: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  /** Prints one line of a child's output under its label. */
  output: (label: string, line: string) => void;
  /** Prints a line of the supervisor's own (exits, restarts). */
  notice: (line: string) => void;
  /** A child crashed more often than allowed; the supervisor has stopped restarting it. */
  onGiveUp: (label: string) => void;
  maxRestartsPerWindow?: number;
  windowMs?: number;
  /** First restart delay; doubles with each restart inside the window. */
  backoffMs?: number;
}

interface Supervised {
  spec: ProcessSpec;
  child: ChildProcess | null;
  /** Settles once the running child has exited and its output is flushed. */
  closed: Promise<void>;
  restarts: number[];
  timer: NodeJS.Timeout | null;
}

/**
 * Keeps a set of child processes running, like a process supervisor: a child that exits on its
 * own is restarted after a growing delay, at most `maxRestartsPerWindow` times per window; after
 * that it is given up on and `onGiveUp` decides what happens to the rest.
 */
export class Supervisor {
  private readonly processes: Supervised[];
  private stopping = false;
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly backoffMs: number;

  constructor(
    specs: ProcessSpec[],
    private readonly options: SupervisorOptions,
  ) {
    this.processes = specs.map((spec) => ({ spec, child: null, closed: Promise.resolve(), restarts: [], timer: null }));
    this.maxRestarts = options.maxRestartsPerWindow ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? 500;
  }

  start(): void {
    for (const p of this.processes) this.run(p);
  }

  /** Labels of the children running right now. */
  running(): string[] {
    return this.processes.filter((p) => p.child !== null).map((p) => p.spec.label);
  }

  /**
   * Sends a signal to one running child (e.g. SIGKILL, to see the rest cope with a crash); one
   * that then exits is restarted like any crash. False when no child with that label runs.
   */
  kill(label: string, signal: NodeJS.Signals): boolean {
    const child = this.processes.find((p) => p.spec.label === label)?.child;
    return child ? child.kill(signal) : false;
  }

  /** SIGTERM every child, SIGKILL those still running after `graceMs`; no more restarts. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const p of this.processes) if (p.timer) clearTimeout(p.timer);
    await Promise.all(this.processes.map(async (p) => {
      if (p.child) await stopChild(p.child, graceMs);
      await p.closed;
    }));
  }

  private run(p: Supervised): void {
    p.timer = null;
    if (this.stopping) return;
    const { spec } = p;
    // Own process group: a terminal's Ctrl-C reaches only the CLI, which stops the apps in order.
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    p.child = child;
    const output = (lines: string[]) => lines.forEach((line) => this.options.output(spec.label, line));
    const out = new LineSplitter();
    const err = new LineSplitter();
    child.stdout!.on('data', (c: Buffer) => output(out.push(c)));
    child.stderr!.on('data', (c: Buffer) => output(err.push(c)));
    child.on('error', (e) => this.options.notice(`${spec.label} could not be started: ${e.message}`));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let closed!: () => void;
    p.closed = new Promise((resolve) => (closed = resolve));
    child.on('close', (code, signal) => {
      closed();
      process.removeListener('exit', killOnExit);
      output(out.end());
      output(err.end());
      p.child = null;
      if (this.stopping) return;
      this.crashed(p, signal ? `was killed by ${signal}` : `exited with code ${code}`);
    });
  }

  private crashed(p: Supervised, how: string): void {
    const now = Date.now();
    p.restarts = p.restarts.filter((t) => now - t < this.windowMs);
    if (p.restarts.length >= this.maxRestarts) {
      this.options.notice(`${p.spec.label} ${how}, and has crashed ${p.restarts.length + 1} times within ${formatDuration(this.windowMs)}: giving up on it`);
      this.options.onGiveUp(p.spec.label);
      return;
    }
    const delay = this.backoffMs * 2 ** p.restarts.length;
    p.restarts.push(now);
    this.options.notice(`${p.spec.label} ${how}; restarting it in ${formatDuration(delay)} (restart ${p.restarts.length} of ${this.maxRestarts} allowed per ${formatDuration(this.windowMs)})`);
    p.timer = setTimeout(() => this.run(p), delay);
  }
}
