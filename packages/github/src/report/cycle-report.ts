import { formatDuration, pullRequestLabel } from '@stagecraft/policy';
import type { CycleRecord } from '@stagecraft/engine';
import { cycleStageTable } from './cycle-stage-table.js';
import { bisectionBlameOf, bisectionReport } from './bisection-report.js';
import { cycleVerdict } from './cycle-verdict.js';
import { flakyStagesOf } from './flaky-stages.js';
import { testResultsOf } from './test-results-of.js';

export interface ReportLinks {
  /** The cycle's page (dashboard), when its public URL is configured. */
  cycleUrl: string | null;
  /** Several repositories are configured: PRs are named `owner/name#n` (default: the record has several). */
  severalRepositories?: boolean;
}

/**
 * The Markdown a PR is shown about a cycle it was part of: check-run summary and comment share it.
 * `pr.repo` defaults to the first repository (a caller with one repository may leave it out).
 */
export function cycleReport(
  record: CycleRecord,
  pr: { repo?: string; number: number; sha: string },
  links: ReportLinks,
  now: number,
): { title: string; summary: string } {
  const repos = record.repos ?? [];
  const several = links.severalRepositories ?? repos.length > 1;
  const label = (repo: string | undefined, n: number) => pullRequestLabel(repo ?? repos[0]?.repo ?? '', n, several);
  const verdict = cycleVerdict(record);
  const head = { repo: pr.repo ?? repos[0]?.repo ?? '', number: pr.number, sha: pr.sha };
  // A bisected cycle's failure is told per PR once the verdict is in: the PR that broke it, or not this PR's doing.
  const blame = bisectionBlameOf(record, head);
  const headline = blame === 'culprit' ? `${verdict.headline}: this PR broke it` : blame === 'cleared' ? `${verdict.headline}, not this PR's doing` : verdict.headline;
  const lines: string[] = [];
  lines.push(`**${headline}**`, '');
  lines.push(
    record.kind === 'full'
      ? `Tested **fully**: deploy, then the test-kernel builds and reference tests against head \`${pr.sha.slice(0, 7)}\` of ${label(pr.repo, pr.number)}.`
      : `Tested **partially**: deploy only; test-kernel builds and reference tests run in the next full cycle.`,
  );
  const onStaging = stagingLine(record, pr.sha, label(pr.repo, pr.number));
  if (onStaging) lines.push(onStaging);
  const shas = [
    ...(several
      ? repos.map((r) => `${r.repo}: ${[r.stagingSha ? `staging \`${r.stagingSha.slice(0, 7)}\`` : null, r.mainSha ? `main \`${r.mainSha.slice(0, 7)}\`` : null].filter(Boolean).join(', ') || 'not composed'}`)
      : [record.stagingSha ? `staging \`${record.stagingSha.slice(0, 7)}\`` : null, record.mainSha ? `main \`${record.mainSha.slice(0, 7)}\`` : null]),
    `${record.prs.length} PR(s): ${record.prs.map((p) => label(p.repo, p.number)).join(', ') || 'none'}`,
  ].filter(Boolean);
  lines.push('', shas.join(' · '));
  if (record.components.length > 0) {
    lines.push(`Components: ${record.components.join(', ')}${record.rebuild.length ? ` (rebuilt: ${record.rebuild.join(', ')})` : ' (no rebuild)'}`);
  }
  lines.push('', cycleStageTable(record, now));
  for (const flaky of flakyStagesOf(record)) {
    lines.push('', `⚠️ The **${flaky.stage}** stage was flaky, passed on the re-run; nobody is blamed. Its failing run said: ${flaky.firstSummary}`);
  }
  const tests = testResultsOf(record);
  if (tests) {
    lines.push('', `Tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`, ...tests.lines);
  }
  if (verdict.failedStage) {
    lines.push('', `The **${verdict.failedStage.stage}** stage failed: ${verdict.failedStage.summary}`);
  }
  const bisection = bisectionReport(record, head, label);
  if (bisection.length > 0) lines.push('', ...bisection);
  if (record.finishedAt) lines.push('', `Took ${formatDuration(record.finishedAt - record.startedAt)}${record.restarts ? `, restarted ${record.restarts}×` : ''}.`);
  if (links.cycleUrl) lines.push('', `[Cycle details and logs](${links.cycleUrl})`);
  return { title: headline.replace(/^\S+\s/, ''), summary: lines.join('\n') };
}

/** What the environment runs after this cycle: its heads only when its deploy stage succeeded. */
function stagingLine(record: CycleRecord, sha: string, label: string): string | null {
  if (record.stages.some((s) => s.stage === 'deploy' && s.status === 'succeeded')) return `Head \`${sha.slice(0, 7)}\` of ${label} is on ${record.env}.`;
  if (record.state === 'running') return null;
  return `**Not deployed**: ${record.env} still runs what its last successful deploy put there; the next cycle tries again.`;
}
