import type { ExcludedPr, Exclusion, HeadsStore } from '@stagecraft/engine';
import { sameRepository } from '@stagecraft/policy';

/**
 * Reads the `exclusions` hash for the dashboard and `stagecraft status`. An exclusion stays in the
 * hash after a push (the new head is simply not the excluded one) until a maintainer's deploy or
 * the PR's close: only those whose PR still has the excluded head are in force, and listed.
 */
export class ExcludedPrs {
  constructor(
    private readonly heads: Pick<HeadsStore, 'exclusions' | 'getPr'>,
    private readonly repositories: readonly string[],
    private readonly botName: string,
  ) {}

  /** Oldest exclusion first. */
  async list(): Promise<ExcludedPr[]> {
    const exclusions = [...(await this.heads.exclusions()).entries()];
    const listed = await Promise.all(exclusions.map(([key, exclusion]) => this.inForce(key, exclusion)));
    return listed.filter((x): x is ExcludedPr => x !== null).sort((a, b) => a.at - b.at || a.repo.localeCompare(b.repo) || a.number - b.number);
  }

  private async inForce(key: string, exclusion: Exclusion): Promise<ExcludedPr | null> {
    // pullRequestKey: `owner/name#n`, the repository in lower case.
    const hash = key.lastIndexOf('#');
    const number = Number(key.slice(hash + 1));
    if (hash < 0 || !Number.isSafeInteger(number)) return null;
    const repo = this.repositories.find((r) => sameRepository(r, key.slice(0, hash))) ?? key.slice(0, hash);
    const head = await this.heads.getPr(repo, number);
    // A head Stagecraft does not know (yet) is taken as the excluded one: the PR stays out either way.
    if (head && head.sha !== exclusion.sha) return null;
    return {
      repo,
      number,
      sha: exclusion.sha,
      reason: exclusion.reason,
      cycleId: exclusion.cycleId,
      stage: exclusion.stage,
      at: exclusion.at,
      bringBack: `push a fix to it, or a maintainer comments \`@${this.botName} deploy\` on it to take this head back as it is`,
    };
  }
}
