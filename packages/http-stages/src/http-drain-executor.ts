import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import { isHandBack } from '@stagecraft/executors';
import type { StageContext } from '@stagecraft/executors';
import { formatDuration } from '@stagecraft/policy';
import { abortableSleep } from '@stagecraft/executors';
import { compareValues, type ComparisonOperator } from './compare-values.js';
import { displayUrl } from './display-url.js';
import { RequestCancelledError } from './errors/request-cancelled-error.js';
import type { HttpJsonClient } from './http-json-client.js';
import { readJsonPath } from './json-path.js';
import { renderTemplate } from './render-template.js';
import { resumeDrainedApi, type ResumeResult } from './resume-drained-api.js';
import { templateValues, type TemplateValues } from './template-values.js';

export interface HttpDrainSettings {
  pauseUrl: string;
  statusUrl: string;
  /** POSTed by deploy after it finished; POSTed here only when drain itself fails or is cancelled. */
  resumeUrl: string | null;
  until: { path: string; op: ComparisonOperator; value: unknown };
  intervalMs: number;
  timeoutMs: number;
  onTimeout: 'fail' | 'proceed';
  client: HttpJsonClient;
  clock?: () => number;
}

type Io = { signal: AbortSignal; log: (line: string) => void };

/**
 * drain over the deployed API: POST the pause URL, then GET the status URL every `interval` until
 * the JSON path meets the condition (e.g. `$.queue.pending == 0`). After `timeout` the stage fails
 * or, with `onTimeout: proceed`, lets deploy go on with work still queued.
 *
 * Resume belongs to deploy (see ResumeAfterDeployExecutor): the API must stay paused while it is
 * replaced. But when drain fails or is cancelled, deploy never runs, so nothing else would resume
 * the API: then drain resumes it itself before reporting.
 */
export class HttpDrainExecutor implements StageExecutor {
  readonly description: string;
  private readonly clock: () => number;

  constructor(private readonly settings: HttpDrainSettings) {
    this.description = `http: drain via ${displayUrl(settings.pauseUrl)} until ${settings.until.path} ${settings.until.op} ${JSON.stringify(settings.until.value)}`;
    this.clock = settings.clock ?? Date.now;
  }

  async run(ctx: StageContext, io: Io): Promise<ExecutorOutcome> {
    const s = this.settings;
    const values = templateValues(ctx);
    const pauseUrl = renderTemplate(s.pauseUrl, values, { url: true });
    const statusUrl = renderTemplate(s.statusUrl, values, { url: true });
    const condition = `${s.until.path} ${s.until.op} ${JSON.stringify(s.until.value)}`;
    const details: Record<string, unknown> = {
      pauseUrl: displayUrl(pauseUrl),
      statusUrl: displayUrl(statusUrl),
      condition,
      polls: 0,
      lastValue: null,
      timedOut: false,
      onTimeout: s.onTimeout,
    };
    const started = this.clock();
    const outcome = (status: ExecutorOutcome['status'], summary: string, lines: string[]): ExecutorOutcome => {
      details['waitedMs'] = this.clock() - started;
      return { status, summary, details, outputTail: lines };
    };
    const lines: string[] = [];
    const log = (line: string) => {
      lines.push(line);
      if (lines.length > 50) lines.shift();
      io.log(line);
    };

    try {
      await s.client.request({ method: 'POST', url: pauseUrl, body: { cycleId: ctx.cycleId, sha: ctx.sha }, signal: io.signal, log });
      log(`paused the deployed API: POST ${displayUrl(pauseUrl)}`);
      const deadline = started + s.timeoutMs;
      for (;;) {
        const status = await s.client.request({ method: 'GET', url: statusUrl, signal: io.signal, log });
        details['polls'] = (details['polls'] as number) + 1;
        const read = readJsonPath(status, s.until.path);
        details['lastValue'] = read.found ? read.value : null;
        const shown = read.found ? JSON.stringify(read.value) : 'missing';
        if (read.found && compareValues(read.value, s.until.op, s.until.value)) {
          log(`drained: ${s.until.path} is ${shown}`);
          return outcome('succeeded', `drained: ${condition} after ${details['polls']} polls in ${formatDuration(this.clock() - started)}`, lines);
        }
        const left = deadline - this.clock();
        if (left <= 0) {
          details['timedOut'] = true;
          const waited = `${s.until.path} was ${shown} after ${formatDuration(s.timeoutMs)}, waiting for ${s.until.op} ${JSON.stringify(s.until.value)}`;
          if (s.onTimeout === 'proceed') {
            log(`drain timed out (${waited}); proceeding with deploy as onTimeout: proceed says`);
            return outcome('succeeded', `not drained, proceeding (onTimeout: proceed): ${waited}`, lines);
          }
          log(`drain timed out (${waited}); failing as onTimeout: fail says`);
          await this.resumeItself(values, details, log, io.signal);
          return outcome('failed', `not drained (onTimeout: fail): ${waited}`, lines);
        }
        log(`waiting: ${s.until.path} is ${shown}, want ${s.until.op} ${JSON.stringify(s.until.value)}`);
        if (!(await abortableSleep(Math.min(s.intervalMs, left), io.signal))) throw new RequestCancelledError('GET', displayUrl(statusUrl));
      }
    } catch (err) {
      if (err instanceof RequestCancelledError || io.signal.aborted) {
        await this.resumeItself(values, details, log, io.signal);
        return outcome('cancelled', 'drain stopped: the cycle was cancelled', lines);
      }
      const message = (err as Error).message;
      log(message);
      await this.resumeItself(values, details, log, io.signal);
      return outcome('failed', message, lines);
    }
  }

  /**
   * Deploy will not run after this drain, so it resumes the API now. Not on a hand-back: the stage
   * runs again on another worker at once (which pauses again), and deploy still follows it.
   */
  private async resumeItself(values: TemplateValues, details: Record<string, unknown>, log: (line: string) => void, signal: AbortSignal): Promise<void> {
    if (this.settings.resumeUrl === null || isHandBack(signal)) return;
    const result: ResumeResult = await resumeDrainedApi(this.settings.client, this.settings.resumeUrl, values, log);
    details['resume'] = result;
  }
}
