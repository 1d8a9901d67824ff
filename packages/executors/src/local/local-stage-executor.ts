import { runLocalCommand } from '../run-local-command.js';
import { stageEnv } from '../stage-env.js';
import type { StageContext } from '../stage-context.js';
import { formatDuration } from '@stagecraft/policy';
import { stageResultsProblems, type StageName } from '@stagecraft/queue';
import type { ExecutorOutcome, StageExecutor } from '../contract/stage-executor.js';
import { InvalidStageResultsError } from '../errors/invalid-stage-results-error.js';
import type { LocalCommandResult } from '../run-local-command.js';

export interface LocalStageSettings {
  command: string;
  timeoutMs: number;
  cwd: string | null;
  /** The command's own variables (stages.<stage>.env, secrets revealed); the cycle's STAGECRAFT_* go over them. */
  env: Record<string, string>;
  /** SIGTERM → SIGKILL wait when the command is stopped (timeout, cancel, the worker's death); default 5 s. */
  killGraceMs?: number;
}

/** Runs the stage's configured command with the cycle's context in its environment. */
export class LocalStageExecutor implements StageExecutor {
  readonly description: string;

  constructor(private readonly settings: LocalStageSettings) {
    this.description = `local: ${settings.command}`;
  }

  async run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const result = await runLocalCommand({
      command: this.settings.command,
      ...(this.settings.cwd ? { cwd: this.settings.cwd } : {}),
      env: { ...this.settings.env, ...stageEnv(ctx) },
      timeoutMs: this.settings.timeoutMs,
      ...(this.settings.killGraceMs !== undefined ? { killGraceMs: this.settings.killGraceMs } : {}),
      signal: io.signal,
      onOutput: (line) => io.log(line),
    });
    const details: Record<string, unknown> = { exitCode: result.exitCode, durationMs: result.durationMs };
    const invalid = invalidResults(ctx.stage as StageName, result);
    if (invalid) {
      // Not recorded as results: later stages and the reports would misread them.
      details['resultsProblems'] = invalid.problems;
      result.outputTail.push(invalid.message);
      io.log(invalid.message);
    } else if (result.results !== null) {
      details['results'] = result.results;
    }
    switch (result.status) {
      case 'succeeded':
        if (invalid) return { status: 'failed', summary: `command succeeded, but ${invalid.message}`, details, outputTail: result.outputTail };
        return { status: 'succeeded', summary: `command succeeded in ${formatDuration(result.durationMs)}`, details, outputTail: result.outputTail };
      case 'aborted':
        return { status: 'cancelled', summary: 'command stopped: the cycle was cancelled', details, outputTail: result.outputTail };
      case 'timed-out':
        return { status: 'failed', summary: `command timed out after ${formatDuration(this.settings.timeoutMs)}`, details, outputTail: result.outputTail };
      case 'failed':
        return {
          status: 'failed',
          summary: result.signal ? `command killed by ${result.signal}` : `command exited with code ${result.exitCode}`,
          details,
          outputTail: result.outputTail,
        };
    }
  }
}

/** The results file checked against what Stagecraft reads of this stage's results; null when they fit. */
function invalidResults(stage: StageName, result: LocalCommandResult): InvalidStageResultsError | null {
  if (result.resultsError !== null) return new InvalidStageResultsError(stage, [`it is not JSON (${result.resultsError})`]);
  if (result.results === null) return null;
  const problems = stageResultsProblems(stage, result.results);
  return problems ? new InvalidStageResultsError(stage, problems) : null;
}
