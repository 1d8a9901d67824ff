import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubApp } from '../app/create-github-app.js';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';
import { GitHubComposeExecutor } from './github-compose-executor.js';
import { HeadsStore } from '@stagecraft/engine';
import { startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { GatedExecutor } from '@stagecraft/testing';
import { commandEvent, pushEvent } from '@stagecraft/testing';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('a cycle composed through the GitHub API', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
  });

  it('deploys main + the trusted PRs it merged, leaves conflicting and untrusted ones out, and takes an approved head in', async () => {
    github = await startFakeGitHub();
    github.addPull({ number: 1, head: 'h1', author: 'alice', files: ['services/api/a.ts'] });
    github.addPull({ number: 2, head: 'h2', author: 'stranger' });
    github.addPull({ number: 3, head: 'h3', author: 'alice', conflictsWith: [1] });
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, log: silent });
    const gate = new GatedExecutor();
    let heads: HeadsStore | undefined;
    h = await startEngineHarness({
      executor: (stage) =>
        stage === 'compose'
          ? new GitHubComposeExecutor({
              client: () => app.getInstallationOctokit(77),
              repo: { owner: 'acme', repo: 'app' },
              mainBranch: 'main',
              stagingBranch: 'staging',
              maxAgeMs: 14 * 24 * 3600_000,
              skipLabel: 'staging-skip',
              trust: { maintainers: ['maint'], trusted: ['alice'], approvers: [] },
              heads: { approvals: () => heads!.approvals(), skipped: () => heads!.skipped() },
              clock: Date.now,
            })
          : gate,
    });
    heads = new HeadsStore(h.client, h.keys);

    await h.engine.handleEvent(pushEvent());
    const [first] = await h.waitFor('the first cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });
    expect(first!.stagingSha).toBe(github.refs.get('staging')?.sha);
    expect(first!.prs).toEqual([{ number: 1, sha: 'h1' }]);
    const compose = first!.stages.find((s) => s.stage === 'compose')!;
    expect((compose.details?.['results'] as { conflicts: unknown }).conflicts).toEqual([{ number: 3, sha: 'h3', with: 1 }]);
    // Every later stage ran with the PRs compose merged.
    expect(gate.runs.map((r) => r.stage)).toEqual(['build', 'drain', 'deploy', 'test-kernel']);

    // A maintainer approves the stranger's head: the next cycle merges it.
    await h.engine.handleEvent(commandEvent({ by: 'maint', pr: 2, isPullRequest: true, sha: 'h2' }));
    const cycles = await h.waitFor('the deploy cycle', async () => {
      const all = await h!.listCycles();
      return all[1]?.state === 'succeeded' ? all : null;
    });
    expect(cycles[1]!.prs).toEqual([{ number: 1, sha: 'h1' }, { number: 2, sha: 'h2' }]);
    expect(github.refs.get('staging')?.holds).toEqual(['main', 1, 2]);
  }, 20_000);
});
