import type { CycleRecord } from '@stagecraft/engine';
import { pullRequestLabel } from '@stagecraft/policy';

/** How many lines of the failing stage's output the comment quotes. */
const TAIL_LINES = 30;

export interface ExclusionFacts {
  repo: string;
  pr: number;
  sha: string;
  /** The failed cycle the bisection looked into. */
  originCycleId: string;
  stage: string;
  steps: number;
}

/**
 * What a PR a bisection found is told: which stage of which cycle it broke, what that stage said
 * (its summary and the tail of its output, from the failed cycle's record when it is still kept),
 * and how it comes back.
 */
export function exclusionComment(facts: ExclusionFacts, origin: CycleRecord | null, opts: { botName: string; severalRepositories: boolean }): string {
  const env = origin?.env ?? 'staging';
  const label = pullRequestLabel(facts.repo, facts.pr, opts.severalRepositories);
  // A re-run of the stage records it again: the last result is the one that failed for good.
  const failed = origin?.stages.filter((s) => s.stage === facts.stage).at(-1) ?? null;
  const lines = [
    `**${env}**: ${label} (head \`${facts.sha.slice(0, 7)}\`) is left out of ${env}: with it the **${facts.stage}** stage fails, without it it passes ` +
      `(cycle ${facts.originCycleId} failed; bisecting its PRs took ${facts.steps} cycle${facts.steps === 1 ? '' : 's'}). The other PRs deploy without it.`,
  ];
  if (failed) {
    lines.push('', `The ${facts.stage} stage said: ${failed.summary}`);
    const tail = failed.outputTail.slice(-TAIL_LINES);
    if (tail.length > 0) lines.push('', '<details><summary>Its last output</summary>', '', '```text', ...tail.map((l) => l.replace(/```/g, "'''")), '```', '', '</details>');
  }
  lines.push(
    '',
    `To come back: push a fix (a new head is tried again in the next cycle), or a maintainer comments \`@${opts.botName} deploy\` to take this head in as it is.`,
  );
  return lines.join('\n');
}
