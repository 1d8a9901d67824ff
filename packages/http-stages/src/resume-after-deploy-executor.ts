import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import { isHandBack } from '@stagecraft/executors';
import type { StageContext } from '@stagecraft/executors';
import type { HttpJsonClient } from './http-json-client.js';
import { resumeDrainedApi } from './resume-drained-api.js';
import { templateValues } from './template-values.js';

type NotRunReason = Parameters<NonNullable<StageExecutor['notRun']>>[1];

/**
 * The deploy stage's executor (local or kubernetes) followed by the http drain's resume.
 *
 * Why here: the API has to stay paused exactly while it is being replaced, and the deploy worker is
 * the one process that knows when that ends, success or failure (a failed deploy has rolled back,
 * so the old version takes work again). A separate "resume" stage would need a new queue and would
 * not run when deploy fails (later stages are skipped then). Drain resumes by itself when it fails or
 * is cancelled, because deploy does not run after that.
 *
 * Not resumed on a hand-back (worker shutdown): the deploy runs again on another replica at once and
 * resumes when it finishes. A resume that fails after retries fails the stage: the environment does
 * not take work, so it is not deployed in any useful sense (and tests would hang against it).
 */
export class ResumeAfterDeployExecutor implements StageExecutor {
  readonly description: string;

  constructor(
    private readonly deploy: StageExecutor,
    private readonly resume: { client: HttpJsonClient; urlTemplate: string },
  ) {
    this.description = `${deploy.description}, then resume the drained API`;
  }

  async run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    let outcome: ExecutorOutcome;
    try {
      outcome = await this.deploy.run(ctx, io);
    } catch (err) {
      if (!isHandBack(io.signal)) await resumeDrainedApi(this.resume.client, this.resume.urlTemplate, templateValues(ctx), io.log);
      throw err;
    }
    if (isHandBack(io.signal) && outcome.status !== 'succeeded') return outcome;
    const resume = await resumeDrainedApi(this.resume.client, this.resume.urlTemplate, templateValues(ctx), io.log);
    const details = { ...(outcome.details ?? {}), resume };
    const outputTail = [...outcome.outputTail, resume.resumed ? `resumed the deployed API (${resume.url})` : `could not resume the deployed API: ${resume.error}`];
    if (resume.resumed || outcome.status !== 'succeeded') return { ...outcome, details, outputTail };
    return { status: 'failed', summary: `${outcome.summary}, but the deployed API stays paused: ${resume.error}`, details, outputTail };
  }

  /** A cycle cancelled (or blocked) after drain paused the API but before deploy ran: resume it now, not at the next deploy. */
  async notRun(ctx: StageContext, why: NotRunReason, io: { log: (line: string) => void }): Promise<void> {
    await this.deploy.notRun?.(ctx, why, io);
    if (!why.earlier.some((s) => s.stage === 'drain' && s.status === 'succeeded')) return;
    io.log(`deploy will not run (${why.reason}); resuming the API drain paused`);
    await resumeDrainedApi(this.resume.client, this.resume.urlTemplate, templateValues(ctx), io.log);
  }
}
