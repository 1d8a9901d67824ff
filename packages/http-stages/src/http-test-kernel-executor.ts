import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import type { StageContext } from '@stagecraft/executors';
import { formatDuration } from '@stagecraft/policy';
import type { TestKernelDetails, TestRun } from '@stagecraft/queue';
import { abortableSleep } from '@stagecraft/executors';
import { displayUrl } from './display-url.js';
import { MissingResultLocationError } from './errors/missing-result-location-error.js';
import { RequestCancelledError } from './errors/request-cancelled-error.js';
import { failedRules, type FailWhen, type TestTotals } from './failed-rules.js';
import type { HttpJsonClient } from './http-json-client.js';
import { readJsonPath } from './json-path.js';
import { renderBody } from './render-body.js';
import { renderTemplate } from './render-template.js';
import { templateValues, type TemplateValues } from './template-values.js';

export interface HttpSubmission {
  name: string;
  url: string;
  method: 'POST' | 'PUT';
  body: unknown;
  resultUrlPath: string | null;
  idPath: string;
  pollUrl: string | null;
}

export interface HttpTestKernelSettings {
  submissions: HttpSubmission[];
  results: { status: string; passed: string; failed: string; skipped: string; url: string };
  doneStatuses: string[];
  errorStatuses: string[];
  failWhen: FailWhen;
  intervalMs: number;
  timeoutMs: number;
  client: HttpJsonClient;
  clock?: () => number;
}

/** One submission's result as stored in details.tests (the notifier reads name, status, counts and url). */
export interface TestRunRecord extends TestTotals, TestRun {
  name: string;
  /** The API's status, or "error" (a request failed), "timed-out", "cancelled". */
  status: string;
  /** The human link the result gave, if any. */
  url: string | null;
  /** Where the result was polled. */
  resultUrl: string | null;
  error?: string;
}

type Log = (line: string) => void;

/**
 * test-kernel over the deployed API: submit each configured test build / reference test run
 * (templated JSON body), poll each run's result URL every `interval` until its status is a done
 * status, and collect pass/fail/skip counts and links into details.tests and details.totals. The
 * stage fails when a run errors or times out, or when the totals meet a `failWhen` rule.
 * (Partial cycles never get here: the engine's cycleStages() leaves test-kernel out of them.)
 */
export class HttpTestKernelExecutor implements StageExecutor {
  readonly description: string;
  private readonly clock: () => number;

  constructor(private readonly settings: HttpTestKernelSettings) {
    this.description = `http: test-kernel (${settings.submissions.map((s) => s.name).join(', ')})`;
    this.clock = settings.clock ?? Date.now;
  }

  async run(ctx: StageContext, io: { signal: AbortSignal; log: Log }): Promise<ExecutorOutcome> {
    const s = this.settings;
    const started = this.clock();
    const values = templateValues(ctx);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort('timeout'), s.timeoutMs);
    const signal = AbortSignal.any([io.signal, deadline.signal]);
    let tests: TestRunRecord[];
    try {
      tests = await Promise.all(s.submissions.map((submission) => this.runOne(submission, values, signal, io)));
    } finally {
      clearTimeout(timer);
    }
    const totals: TestTotals = tests.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }), {
      passed: 0,
      failed: 0,
      skipped: 0,
    });
    const outputTail = tests.map(
      (t) => `${t.name}: ${t.status} — ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.url ? ` (${t.url})` : ''}${t.error ? `: ${t.error}` : ''}`,
    );
    const counts = `${tests.length} test run${tests.length === 1 ? '' : 's'}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
    // The shape the notifier and dashboard read back (@stagecraft/queue's test-kernel details).
    const details: Record<string, unknown> = { tests, totals, durationMs: this.clock() - started } satisfies TestKernelDetails;
    if (io.signal.aborted) return { status: 'cancelled', summary: `test-kernel stopped: the cycle was cancelled (${counts})`, details, outputTail };

    const problems = [
      ...tests
        .filter((t) => t.status === 'error' || t.status === 'timed-out' || s.errorStatuses.includes(t.status))
        .map((t) => (t.status === 'timed-out' ? `${t.name} had no result within ${formatDuration(s.timeoutMs)}` : `${t.name}: ${t.error ?? t.status}`)),
      ...failedRules(totals, s.failWhen),
    ];
    details['failedBecause'] = problems;
    if (problems.length > 0) return { status: 'failed', summary: `${counts} — failed: ${problems.join('; ')}`, details, outputTail };
    return { status: 'succeeded', summary: counts, details, outputTail };
  }

  private async runOne(submission: HttpSubmission, values: TemplateValues, signal: AbortSignal, io: { signal: AbortSignal; log: Log }): Promise<TestRunRecord> {
    const s = this.settings;
    const log: Log = (line) => io.log(`${submission.name}: ${line}`);
    const record: TestRunRecord = { name: submission.name, status: 'submitting', passed: 0, failed: 0, skipped: 0, url: null, resultUrl: null };
    try {
      const url = renderTemplate(submission.url, values, { url: true });
      const answer = await s.client.request({ method: submission.method, url, body: renderBody(submission.body, values), signal, log });
      const resultUrl = this.resultUrlOf(submission, url, answer, values);
      record.resultUrl = displayUrl(resultUrl);
      record.status = 'submitted';
      log(`submitted to ${submission.method} ${displayUrl(url)}; polling ${displayUrl(resultUrl)}`);
      for (;;) {
        const result = await s.client.request({ method: 'GET', url: resultUrl, signal, log });
        const status = readJsonPath(result, s.results.status);
        record.status = status.found && status.value !== null ? String(status.value) : 'unknown';
        if (s.doneStatuses.includes(record.status)) {
          record.passed = count(result, s.results.passed);
          record.failed = count(result, s.results.failed);
          record.skipped = count(result, s.results.skipped);
          const link = readJsonPath(result, s.results.url);
          record.url = link.found && typeof link.value === 'string' ? link.value : null;
          log(`${record.status}: ${record.passed} passed, ${record.failed} failed, ${record.skipped} skipped`);
          return record;
        }
        if (!(await abortableSleep(s.intervalMs, signal))) throw new RequestCancelledError('GET', displayUrl(resultUrl));
      }
    } catch (err) {
      if (err instanceof RequestCancelledError || signal.aborted) {
        const last = record.status;
        record.status = io.signal.aborted ? 'cancelled' : 'timed-out';
        if (record.status === 'timed-out') log(`no result within ${formatDuration(s.timeoutMs)} (last status: ${last})`);
        return record;
      }
      record.status = 'error';
      record.error = (err as Error).message;
      log(record.error);
      return record;
    }
  }

  /** The URL to poll: from the answer (resultUrlPath, relative to the submission URL) or pollUrl with the answer's id. */
  private resultUrlOf(submission: HttpSubmission, url: string, answer: unknown, values: TemplateValues): string {
    const path = submission.resultUrlPath ?? submission.idPath;
    const read = readJsonPath(answer, path);
    const value = read.found ? read.value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new MissingResultLocationError(submission.name, displayUrl(url), path, JSON.stringify(answer)?.slice(0, 200) ?? 'empty');
    }
    if (submission.resultUrlPath !== null) return new URL(String(value), url).toString();
    return renderTemplate(submission.pollUrl!, { ...values, id: String(value) }, { url: true });
  }
}

function count(result: unknown, path: string): number {
  const read = readJsonPath(result, path);
  if (!read.found) return 0;
  if (typeof read.value === 'number' && Number.isFinite(read.value)) return read.value;
  if (typeof read.value === 'string' && /^\d+$/.test(read.value)) return Number(read.value);
  return 0;
}
