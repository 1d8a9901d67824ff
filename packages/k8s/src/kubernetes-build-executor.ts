import type { BatchV1Api, CoreV1Api, V1Job } from '@kubernetes/client-node';
import type { ComponentConfig } from '@stagecraft/config';
import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import type { StageContext } from '@stagecraft/executors';
import { formatDuration } from '@stagecraft/policy';
import { abortableSleep, LineSplitter } from '@stagecraft/executors';
import { buildJobManifest } from './build-job-manifest.js';
import { buildJobName } from './build-job-name.js';
import { apiStatus, describeApiError } from './describe-api-error.js';
import { withTag } from './image-reference.js';
import { newestPod } from './newest-pod.js';
import { OutputTail } from './output-tail.js';
import { PodLogFollower, type FollowedLog, type PodLogStreamer } from './pod-log-follower.js';
import { renderImageTag } from './render-image-tag.js';
import { requestOptions } from './request-options.js';
import { unseenLogLines } from './unseen-log-lines.js';

/** The only Job and pod calls the build executor makes. */
export type JobsApi = Pick<BatchV1Api, 'createNamespacedJob' | 'readNamespacedJob' | 'deleteNamespacedJob'>;
export type PodLogsApi = Pick<CoreV1Api, 'listNamespacedPod' | 'readNamespacedPodLog'>;

/** Where an environment's build Jobs run. */
export interface BuildTarget {
  namespace: string;
  jobs: JobsApi;
  pods: PodLogsApi;
  /** Follows a pod's log while its Job runs (client-node's `Log`); without it the log is read once the Job finishes. */
  logs?: PodLogStreamer;
}

export interface KubernetesBuildSettings {
  target: (env: string) => BuildTarget;
  components: ReadonlyArray<Pick<ComponentConfig, 'name' | 'images' | 'context'>>;
  jobTemplate: Readonly<Record<string, unknown>>;
  imageTag: string;
  ttlSecondsAfterFinished: number;
  timeoutMs: number;
  pollIntervalMs: number;
  logTailLines: number;
  /** Lines of each pod's log read into the stage's log (from its end) when it was not (all) streamed. */
  logReadLines?: number;
  /** After a Job finishes, how long its log stream may take to end by itself before it is cut and the rest read. */
  logDrainMs?: number;
  clock?: () => number;
}

type JobStatus = 'succeeded' | 'failed' | 'timed-out' | 'cancelled';

export interface BuildJobResult {
  component: string;
  job: string;
  images: string[];
  status: JobStatus;
  reason: string | null;
  logTail: string[];
}

/**
 * build on Kubernetes: one Job per component to rebuild, made from the configured template (e.g.
 * kaniko pushing the component's images tagged for this cycle). While each Job runs, follows its
 * pod's log into the stage log line by line; waits for its Complete or Failed condition; reads what
 * the stream did not deliver (it broke, or never started) once the Job finished; keeps the log's end
 * in the result, and deletes the Job after (and on cancel, which stops the build).
 */
export class KubernetesBuildExecutor implements StageExecutor {
  readonly description = 'kubernetes: a build Job per component';
  private readonly clock: () => number;

  constructor(private readonly settings: KubernetesBuildSettings) {
    this.clock = settings.clock ?? Date.now;
  }

  async run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const started = this.clock();
    const tail = new OutputTail(this.settings.logTailLines, io.log);
    const outcome = (status: ExecutorOutcome['status'], summary: string, details: Record<string, unknown> | null, outputTail = tail.lines): ExecutorOutcome => ({
      status,
      summary,
      details,
      outputTail: [...outputTail],
    });
    if (!ctx.sha) return outcome('failed', 'nothing to build: the cycle has neither a staging SHA from compose nor a main SHA', null);
    let target: BuildTarget;
    try {
      target = this.settings.target(ctx.env);
    } catch (err) {
      return outcome('failed', (err as Error).message, null);
    }
    const unknown = ctx.rebuild.filter((name) => !this.settings.components.some((c) => c.name === name));
    if (unknown.length > 0) {
      return outcome('failed', `component(s) ${unknown.join(', ')} of this cycle are not in the config's components: add them, or restart the scheduler with the config it ran with`, null);
    }
    const tag = renderImageTag(this.settings.imageTag, { ...ctx, sha: ctx.sha });
    const stageTimeout = new AbortController();
    const timer = setTimeout(() => stageTimeout.abort(), this.settings.timeoutMs);
    const signal = AbortSignal.any([io.signal, stageTimeout.signal]);
    try {
      const components = ctx.rebuild.map((name) => this.settings.components.find((c) => c.name === name)!);
      const results = await Promise.all(components.map((component) => this.runJob(ctx, target, component, tag, signal, io.signal, tail)));
      const details = { namespace: target.namespace, tag, jobs: results };
      const failed = results.filter((r) => r.status === 'failed');
      const timedOut = results.filter((r) => r.status === 'timed-out');
      const cancelled = results.filter((r) => r.status === 'cancelled');
      if (failed.length > 0) {
        const why = failed.map((r) => `${r.component} (${r.reason})`).join('; ');
        return outcome('failed', `build failed: ${why}`, details, failed.flatMap((r) => r.logTail.map((line) => `[${r.component}] ${line}`)).slice(-Math.max(this.settings.logTailLines, 1)));
      }
      if (io.signal.aborted || cancelled.length > 0 && timedOut.length === 0) {
        return outcome('cancelled', `build cancelled: deleted the Jobs of ${results.map((r) => r.component).join(', ')}`, details);
      }
      if (timedOut.length > 0) {
        return outcome('failed', `build timed out after ${formatDuration(this.settings.timeoutMs)}: ${timedOut.map((r) => r.component).join(', ')} still running (Jobs deleted)`, details);
      }
      return outcome('succeeded', `built ${results.map((r) => r.component).join(', ')} at ${tag.length === 40 ? tag.slice(0, 12) : tag} in ${formatDuration(this.clock() - started)}`, details);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runJob(
    ctx: StageContext,
    target: BuildTarget,
    component: Pick<ComponentConfig, 'name' | 'images' | 'context'>,
    tag: string,
    signal: AbortSignal,
    cancel: AbortSignal,
    tail: OutputTail,
  ): Promise<BuildJobResult> {
    const name = buildJobName(component.name, ctx.cycleId, ctx.attempt);
    const images = component.images.map((image) => withTag(image, tag));
    const result = (status: JobStatus, reason: string | null, logTail: string[] = []): BuildJobResult => ({ component: component.name, job: name, images, status, reason, logTail });
    const log = (line: string) => tail.write(`[${component.name}] ${line}`);
    const manifest = buildJobManifest(this.settings.jobTemplate, {
      name,
      namespace: target.namespace,
      values: {
        component: component.name,
        image: images[0] ?? '',
        images: images.join(','),
        tag,
        context: component.context,
        sha: ctx.sha ?? '',
        shortSha: (ctx.sha ?? '').slice(0, 12),
        cycleId: ctx.cycleId,
        env: ctx.env,
        jobName: name,
      },
      labels: { 'app.kubernetes.io/managed-by': 'stagecraft', 'stagecraft.dev/cycle': ctx.cycleId, 'stagecraft.dev/component': component.name },
      ttlSecondsAfterFinished: this.settings.ttlSecondsAfterFinished,
    });
    try {
      await target.jobs.createNamespacedJob({ namespace: target.namespace, body: manifest }, requestOptions({ signal }));
    } catch (err) {
      if (signal.aborted) return result(cancel.aborted ? 'cancelled' : 'timed-out', 'stopped before its Job was created');
      return result('failed', `could not create Job ${name} in ${target.namespace}: ${describeApiError(err)}`);
    }
    log(`created Job ${name} in ${target.namespace} for ${images.join(', ') || 'no images'}`);
    const container = manifest.spec?.template.spec?.containers[0]?.name;
    const follower = target.logs && container
      ? new PodLogFollower({ logs: target.logs, pods: target.pods, namespace: target.namespace, job: name, container, pollIntervalMs: this.settings.pollIntervalMs, onLine: log, signal })
      : null;
    follower?.start();
    try {
      const finished = await this.waitForJob(target, name, signal);
      if (finished === null) {
        const status: JobStatus = cancel.aborted ? 'cancelled' : 'timed-out';
        const followed = await follower?.stop(0);
        log(status === 'cancelled' ? `cancelled: deleting Job ${name}` : `timed out: deleting Job ${name}`);
        // A timed-out build's log says where it got stuck; a cancelled one's is not read further.
        const logTail = status === 'timed-out' ? await this.finishLog(target, manifest, log, followed) : this.lastLines(followed?.recent ?? []);
        return result(status, status === 'cancelled' ? 'the cycle was cancelled' : 'the stage timed out', logTail);
      }
      const logTail = await this.finishLog(target, manifest, log, await follower?.stop(this.settings.logDrainMs ?? 2000));
      if (finished.type === 'Complete') {
        log(`Job ${name} complete`);
        return result('succeeded', null, logTail);
      }
      const reason = [finished.reason, finished.message].filter(Boolean).join(': ') || 'the Job failed';
      log(`Job ${name} failed: ${reason}`);
      return result('failed', reason, logTail);
    } finally {
      await this.deleteJob(target, name, log);
    }
  }

  /** Polls the Job until a Complete or Failed condition is True; null when the signal aborted first. */
  private async waitForJob(target: BuildTarget, name: string, signal: AbortSignal): Promise<{ type: 'Complete' | 'Failed'; reason?: string; message?: string } | null> {
    for (;;) {
      let job: V1Job | null = null;
      try {
        job = await target.jobs.readNamespacedJob({ name, namespace: target.namespace }, requestOptions({ signal }));
      } catch (err) {
        if (signal.aborted) return null;
        if (apiStatus(err)?.code === 404) return { type: 'Failed', reason: 'Deleted', message: `Job ${name} was deleted while it ran` };
        // Anything else (a restarting API server, a network blip) is tried again at the next poll.
      }
      const condition = job?.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
      if (condition) return { type: condition.type as 'Complete' | 'Failed', ...(condition.reason ? { reason: condition.reason } : {}), ...(condition.message ? { message: condition.message } : {}) };
      if (!(await abortableSleep(this.settings.pollIntervalMs, signal))) return null;
    }
  }

  /**
   * The end of the Job's pod log for the result: what the stream delivered, and, unless it ended by
   * itself (then it delivered every line), the lines a read of the log adds.
   */
  private async finishLog(target: BuildTarget, job: V1Job, log: (line: string) => void, followed: FollowedLog | undefined): Promise<string[]> {
    if (followed?.state === 'complete') return this.lastLines(followed.recent);
    if (followed?.error) log(`the log stream of Job ${job.metadata!.name!} broke (${followed.error}): reading the rest of its log`);
    const added = await this.readLog(target, job, log, followed ?? { state: 'not-started', lines: 0, recent: [] });
    return this.lastLines([...(followed?.recent ?? []), ...added]);
  }

  private lastLines(lines: readonly string[]): string[] {
    return this.settings.logTailLines > 0 ? lines.slice(-this.settings.logTailLines) : [];
  }

  /** The log of the Job's newest pod (its first container, the builder): the lines `followed` had not delivered are logged and returned. */
  private async readLog(target: BuildTarget, job: V1Job, log: (line: string) => void, followed: FollowedLog): Promise<string[]> {
    const name = job.metadata!.name!;
    try {
      const pods = await target.pods.listNamespacedPod({ namespace: target.namespace, labelSelector: `job-name=${name}` }, requestOptions({}));
      const newest = newestPod(pods.items);
      if (!newest?.metadata?.name) {
        log(`no pod of Job ${name} to read a log from`);
        return [];
      }
      const container = job.spec?.template.spec?.containers[0]?.name;
      const limit = this.settings.logReadLines ?? 1000;
      const text = await target.pods.readNamespacedPodLog({ name: newest.metadata.name, namespace: target.namespace, ...(container ? { container } : {}), tailLines: limit }, requestOptions({}));
      const lines = unseenLogLines(LineSplitter.lines(text), followed.lines, followed.recent, limit);
      for (const line of lines) log(line);
      return lines;
    } catch (err) {
      log(`could not read the log of Job ${name}: ${describeApiError(err)}`);
      return [];
    }
  }

  private async deleteJob(target: BuildTarget, name: string, log: (line: string) => void): Promise<void> {
    try {
      await target.jobs.deleteNamespacedJob({ name, namespace: target.namespace, propagationPolicy: 'Background' }, requestOptions({}));
    } catch (err) {
      if (apiStatus(err)?.code === 404) return;
      log(`could not delete Job ${name} (Kubernetes removes it ${this.settings.ttlSecondsAfterFinished}s after it finishes): ${describeApiError(err)}`);
    }
  }
}
