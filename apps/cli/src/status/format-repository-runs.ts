import { formatClock } from './format-clock.js';
import type { FormatOptions } from './format-status.js';
import { prLabel } from './pr-label.js';
import type { DeployedRuns } from './status-types.js';

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '–');

/**
 * What an environment runs, one line per configured repository (shown when there are several):
 *
 *     runs     staging-2, deployed 13:02:05
 *       acme/api   main 1111111  staging 2222222  PRs acme/api#12
 *       acme/core  main 3333333  staging 4444444  no PRs
 */
export function formatRepositoryRuns(deployed: DeployedRuns | null | undefined, repositories: readonly string[], o: FormatOptions): string[] {
  if (deployed === undefined) return [];
  if (deployed === null) return ['  runs     nothing deployed by Stagecraft yet'];
  const when = deployed.finishedAt !== null ? `, deployed ${formatClock(deployed.finishedAt, o.now, o.timeZone)}` : ', deployed; its cycle is still running';
  const width = Math.max(...deployed.repositories.map((r) => r.repository.length));
  return [
    `  runs     ${deployed.cycle}${when}`,
    ...deployed.repositories.map((r) => {
      const prs = r.prs.length ? `PRs ${r.prs.map((p) => prLabel({ repo: r.repository, number: p.number }, repositories)).join(' ')}` : 'no PRs';
      return `    ${r.repository.padEnd(width)}  main ${short(r.mainSha)}  staging ${short(r.stagingSha)}  ${prs}`;
    }),
  ];
}
