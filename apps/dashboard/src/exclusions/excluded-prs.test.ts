import { describe, expect, it } from '@jest/globals';
import type { Exclusion, PullRequestHead } from '@stagecraft/engine';
import { ExcludedPrs } from './excluded-prs.js';

const exclusion = (sha: string, at: number): Exclusion => ({ sha, reason: `it broke deploy in staging-12 (found by bisection in 3 cycles)`, cycleId: 'staging-12', stage: 'deploy', at });
const head = (repo: string, number: number, sha: string): PullRequestHead => ({ repo, number, sha, author: 'alice', baseRef: 'main', draft: false, labels: [], updatedAt: null });

describe('ExcludedPrs: the exclusions in force', () => {
  const heads = {
    exclusions: async () =>
      new Map([
        ['acme/api#4', exclusion('h4', 20)],
        // Pushed since: the new head is not excluded, so this one is no longer in force.
        ['acme/api#5', exclusion('h5', 10)],
        ['kernelci/core#4', exclusion('k4', 5)],
      ]),
    getPr: async (repo: string, number: number) => new Map([['acme/api#4', head('acme/api', 4, 'h4')], ['acme/api#5', head('acme/api', 5, 'h5-fixed')]]).get(`${repo.toLowerCase()}#${number}`) ?? null,
  };

  it('lists the PRs whose head is still the excluded one, oldest first, named as configured, with how to bring each back', async () => {
    const list = await new ExcludedPrs(heads, ['KernelCI/core', 'acme/api'], 'bot').list();
    expect(list.map((x) => [x.repo, x.number, x.sha])).toEqual([
      ['KernelCI/core', 4, 'k4'],
      ['acme/api', 4, 'h4'],
    ]);
    expect(list[1]).toEqual({
      repo: 'acme/api',
      number: 4,
      sha: 'h4',
      reason: 'it broke deploy in staging-12 (found by bisection in 3 cycles)',
      cycleId: 'staging-12',
      stage: 'deploy',
      at: 20,
      bringBack: 'push a fix to it, or a maintainer comments `@bot deploy` on it to take this head back as it is',
    });
  });
});
