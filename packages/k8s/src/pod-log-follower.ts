import { Writable } from 'node:stream';
import type { CoreV1Api, Log } from '@kubernetes/client-node';
import { abortableSleep, LineSplitter } from '@stagecraft/executors';
import { describeApiError } from './describe-api-error.js';
import { newestPod } from './newest-pod.js';
import { requestOptions } from './request-options.js';

/** Streams a pod's log (client-node's `Log`). */
export type PodLogStreamer = Pick<Log, 'log'>;

/** What following a pod's log delivered. */
export interface FollowedLog {
  /**
   * complete: the API server ended the stream (it does when the container exits), so every line came;
   * broken: the stream failed, or was stopped before it ended; not-started: no pod ran to follow.
   */
  state: 'complete' | 'broken' | 'not-started';
  /** Lines delivered, from the start of the log. */
  lines: number;
  /** The last of them (up to RECENT_LINES). */
  recent: string[];
  /** Why the stream broke, when it was not stopped. */
  error?: string;
}

export interface PodLogFollowerOptions {
  logs: PodLogStreamer;
  pods: Pick<CoreV1Api, 'listNamespacedPod'>;
  namespace: string;
  job: string;
  container: string;
  pollIntervalMs: number;
  /** Each whole line, as it arrives. */
  onLine: (line: string) => void;
  /** Stops following at once (cancel, stage timeout). */
  signal: AbortSignal;
}

const RECENT_LINES = 100;
const STARTED_PHASES = new Set(['Running', 'Succeeded', 'Failed']);

/**
 * Follows the log of a Job's pod while the Job runs: waits for its newest pod to run, then streams
 * its first container's log (follow=true), passing each line on as it arrives. `stop` ends it;
 * the count and last lines it returns let a read of the log afterwards add only what was missed.
 */
export class PodLogFollower {
  private readonly stopper = new AbortController();
  private readonly signal: AbortSignal;
  private readonly recent: string[] = [];
  private lines = 0;
  private state: 'waiting' | 'streaming' | FollowedLog['state'] = 'waiting';
  private error: string | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly options: PodLogFollowerOptions) {
    this.signal = AbortSignal.any([options.signal, this.stopper.signal]);
  }

  start(): void {
    this.done = this.follow().catch((err: unknown) => this.settle('broken', describeApiError(err)));
  }

  /**
   * Stops following and says what was delivered: at once when `drainMs` is 0; else lets a running
   * stream end by itself for up to `drainMs` first (the pod may still be writing its last lines).
   */
  async stop(drainMs: number): Promise<FollowedLog> {
    if (drainMs > 0 && this.state === 'streaming') {
      const drained = new AbortController();
      await Promise.race([this.done.then(() => drained.abort()), abortableSleep(drainMs, AbortSignal.any([this.signal, drained.signal]))]);
    }
    this.settle(this.state === 'waiting' ? 'not-started' : 'broken');
    this.stopper.abort();
    return { state: this.state as FollowedLog['state'], lines: this.lines, recent: [...this.recent], ...(this.error ? { error: this.error } : {}) };
  }

  private async follow(): Promise<void> {
    const pod = await this.waitForPod();
    if (pod === null || this.state !== 'waiting') return;
    this.state = 'streaming';
    const splitter = new LineSplitter();
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        for (const line of splitter.push(chunk)) this.deliver(line);
        callback();
      },
      final: (callback) => {
        for (const line of splitter.end()) this.deliver(line);
        this.settle('complete');
        ended();
        callback();
      },
    });
    // The response body is piped into the sink; its errors (a cut connection, an abort) do not reach the sink.
    sink.on('pipe', (body) => {
      body.once('error', (err: Error) => {
        this.settle('broken', this.signal.aborted ? undefined : err.message);
        ended();
      });
      body.once('close', () => {
        this.settle('broken', this.signal.aborted ? undefined : 'the connection closed');
        ended();
      });
    });
    const { namespace, container } = this.options;
    const request = await this.options.logs.log(namespace, pod, container, sink, { follow: true, timestamps: false });
    if (this.signal.aborted) request.abort();
    else this.signal.addEventListener('abort', () => request.abort(), { once: true });
    await finished;
  }

  /** The name of the Job's newest pod once it runs (or ran); null when stopped first. */
  private async waitForPod(): Promise<string | null> {
    const { namespace, job } = this.options;
    for (;;) {
      try {
        const pods = await this.options.pods.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` }, requestOptions({ signal: this.signal }));
        const pod = newestPod(pods.items);
        if (pod?.metadata?.name && STARTED_PHASES.has(pod.status?.phase ?? '')) return pod.metadata.name;
      } catch {
        // Tried again at the next poll; the read after the Job finishes reports a lasting failure.
      }
      if (!(await abortableSleep(this.options.pollIntervalMs, this.signal))) return null;
    }
  }

  private deliver(line: string): void {
    // Once stopped (cancel, timeout, stop) no more lines are delivered, not even ones already received.
    if (this.state !== 'streaming' || this.signal.aborted) return;
    this.lines += 1;
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES) this.recent.shift();
    this.options.onLine(line);
  }

  /** The first outcome stands: lines arriving after it are not delivered (nor counted). */
  private settle(state: FollowedLog['state'], error?: string): void {
    if (this.state !== 'waiting' && this.state !== 'streaming') return;
    this.state = state;
    if (error !== undefined) this.error = error;
  }
}
