import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { BisectionRecord, CycleRecord, CycleStore } from '@stagecraft/engine';
import type { StageResult, StagecraftKeys } from '@stagecraft/queue';
import type { FakeGitHub } from '@stagecraft/testing';
import type { Redis } from 'ioredis';
import type { CyclePublisher } from './cycle-publisher.js';
import { ExcludedLabelMarks } from './excluded-label-marks.js';
import { EXCLUDED_LABEL, postExclusion } from './post-exclusion.js';
import { cycleHeader, stageResult, startNotifierFixture, type NotifierFixture } from '../test-support/notifier-fixture.js';
import { testClients } from '../test-support/repository-config.js';

const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);
const MIN = 60_000;

describe('CyclePublisher: flakes, bisections and excluded PRs coming back', () => {
  let f: NotifierFixture;
  let github: FakeGitHub;
  let redis: Redis;
  let keys: StagecraftKeys;
  let cycles: CycleStore;
  let publisher: CyclePublisher;

  beforeEach(async () => {
    f = await startNotifierFixture();
    ({ github, redis, keys, cycles } = f);
    publisher = f.publisher({ clock: () => T0 });
  });
  afterEach(() => f.close());

  const stage = (name: StageResult['stage'], status: StageResult['status'], summary: string, details: StageResult['details'] = null) => stageResult(name, status, T0, summary, details);
  const createCycle = (id: string, startedAt: number, prs: Array<{ number: number; sha: string }>, over: Partial<Pick<CycleRecord, 'bisect' | 'trigger'>> = {}) =>
    cycles.create(cycleHeader(id, startedAt, { prs: prs.map((p) => ({ repo: 'acme/app', ...p })), ...over }));

  async function finish(id: string, outcome: 'succeeded' | 'failed', deploy: StageResult) {
    for (const s of ['compose', 'build', 'drain'] as const) await cycles.recordStage(id, stage(s, 'succeeded', `${s} ok`));
    await cycles.recordStage(id, deploy);
    await cycles.finish(id, outcome, T0 + 10 * MIN);
  }

  const runsOf = (sha: string) => github.checkRuns.filter((r) => r.head_sha === sha);
  const outputOf = (run: { output: unknown } | undefined) => run?.output as { title: string; summary: string };
  const commentOn = (issue: number) => github.comments.filter((c) => c.issue === issue && c.body.startsWith('<!-- stagecraft:pr-comment -->'));

  it('reports a stage that passed on its re-run as flaky, with its first failure, and blames nobody', async () => {
    await createCycle('staging-1', T0, [{ number: 7, sha: 'h7' }]);
    const flaky = stage('deploy', 'succeeded', 'flaky: failed once (rollout failed), then passed on the same SHA: rolled out', {
      flake: { firstSummary: 'rollout failed', firstOutputTail: ['pod crashloop'], reruns: 1 },
    });
    await finish('staging-1', 'succeeded', flaky);
    await publisher.publish('staging-1', null);

    const [run] = runsOf('h7');
    expect(run).toMatchObject({ history: ['completed:success'] });
    expect(outputOf(run).title).toBe('partial cycle staging-1 deployed to staging (deploy flaky, passed on the re-run)');
    for (const text of [outputOf(run).summary, commentOn(7)[0]!.body]) {
      expect(text).toContain('| deploy | ⚠️ flaky, passed on the re-run |');
      expect(text).toContain('⚠️ The **deploy** stage was flaky, passed on the re-run; nobody is blamed. Its failing run said: rollout failed');
    }
  });

  it("a bisection step tells the PRs nothing of its own; the failed cycle's report follows the bisection to its verdict", async () => {
    const prs = [{ number: 1, sha: 'h1' }, { number: 2, sha: 'h2' }, { number: 3, sha: 'h3' }];
    await createCycle('staging-12', T0, prs);
    await finish('staging-12', 'failed', stage('deploy', 'failed', 'rollout failed (failed again on a re-run on the same SHA)'));
    await publisher.publish('staging-12', null);
    expect(prs.map((p) => runsOf(p.sha).map((r) => r.history))).toEqual([[['completed:failure']], [['completed:failure']], [['completed:failure']]]);

    // Step 1 (main + #1, #2) starts, as the scheduler records it on both cycles.
    const candidates = prs.map((p) => ({ repo: 'acme/app', ...p }));
    const bisection = (steps: BisectionRecord['steps'], verdict: BisectionRecord['verdict'] = null): BisectionRecord => ({ stage: 'deploy', candidates, steps, verdict });
    await createCycle('staging-13', T0 + 11 * MIN, prs.slice(0, 2), { trigger: 'bisection', bisect: { origin: 'staging-12', stage: 'deploy', step: 1, maxSteps: 2 } });
    await cycles.update('staging-12', { bisection: bisection([{ cycleId: 'staging-13', prs: candidates.slice(0, 2), result: null }]) });
    await publisher.publish('staging-13', null);
    const report = (sha: string) => outputOf(runsOf(sha)[0]).summary;
    expect(report('h1')).toContain('🔎 **A bisection is looking for the cause**: deploy failed again on a re-run, so cycles of main + part of its 3 suspect PR(s) find the one that breaks it (at most 2 cycles). A step that fails blames nobody; only the verdict does.');
    expect(report('h1')).toContain('| 1 | staging-13 | main + #1, #2 | ⏳ running |');
    expect(commentOn(1)[0]!.body).toContain('A bisection is looking for the cause');

    // The step fails: still no check run, comment or deployment of its own on any PR.
    await finish('staging-13', 'failed', stage('deploy', 'failed', 'rollout failed'));
    await cycles.update('staging-12', { bisection: bisection([{ cycleId: 'staging-13', prs: candidates.slice(0, 2), result: 'failed' }]) });
    await publisher.publish('staging-13', null);
    // Step 2 (main + #1) passes: #2 is the one.
    await createCycle('staging-14', T0 + 21 * MIN, prs.slice(0, 1), { trigger: 'bisection', bisect: { origin: 'staging-12', stage: 'deploy', step: 2, maxSteps: 2 } });
    await finish('staging-14', 'succeeded', stage('deploy', 'succeeded', 'rolled out'));
    await cycles.update('staging-12', {
      bisection: bisection(
        [
          { cycleId: 'staging-13', prs: candidates.slice(0, 2), result: 'failed' },
          { cycleId: 'staging-14', prs: candidates.slice(0, 1), result: 'passed' },
        ],
        { kind: 'pr', pr: candidates[1]! },
      ),
    });
    await publisher.publish('staging-14', null);

    expect(github.checkRuns.map((r) => r.external_id)).toEqual(['staging-12', 'staging-12', 'staging-12']);
    expect(github.deployments.map((d) => (d.payload as { stagecraft: string }).stagecraft)).toEqual(['staging-12#1', 'staging-12#2', 'staging-12#3']);
    // The culprit stays ❌; the others are cleared.
    expect(runsOf('h2')[0]).toMatchObject({ conclusion: 'failure' });
    expect(outputOf(runsOf('h2')[0]).title).toBe('partial cycle staging-12 failed at deploy: this PR broke it');
    for (const sha of ['h1', 'h3']) {
      expect(runsOf(sha)[0]).toMatchObject({ conclusion: 'neutral', history: ['completed:failure', 'completed:neutral'] });
      expect(outputOf(runsOf(sha)[0]).title).toBe("partial cycle staging-12 failed at deploy, not this PR's doing");
    }
    expect(report('h2')).toContain("🔎 **Bisection verdict**: #2 (head `h2`) breaks deploy. It is left out of staging at that head until a push or a maintainer's `deploy`; the other PRs go on without it.");
    expect(report('h2')).toContain('**This PR is the one.**');
    expect(report('h3')).toContain('This PR is not to blame.');
    expect(report('h3')).toContain('| 1 | staging-13 | main + #1, #2 | ❌ failed |\n| 2 | staging-14 | main + #1 | ✅ passed |');
    expect(commentOn(3)).toHaveLength(1);
    expect(commentOn(3)[0]!.body).toContain("partial cycle staging-12 failed at deploy, not this PR's doing");
  });

  it('says when main alone fails: no PR is to blame', async () => {
    await createCycle('staging-12', T0, [{ number: 1, sha: 'h1' }]);
    await finish('staging-12', 'failed', stage('deploy', 'failed', 'rollout failed'));
    await cycles.update('staging-12', {
      bisection: { stage: 'deploy', candidates: [{ repo: 'acme/app', number: 1, sha: 'h1' }], steps: [{ cycleId: 'staging-13', prs: [], result: 'failed' }], verdict: { kind: 'main' } },
    });
    await publisher.publish('staging-12', null);
    expect(runsOf('h1')[0]).toMatchObject({ conclusion: 'neutral' });
    expect(outputOf(runsOf('h1')[0]).summary).toContain('🔎 **Bisection verdict**: main alone fails deploy. No PR is to blame and none is left out; the fix belongs on main.');
    expect(outputOf(runsOf('h1')[0]).summary).toContain('| 1 | staging-13 | main alone | ❌ failed |');
  });

  it('takes the excluded label off once a cycle started after the exclusion has the PR, and its comment says it is back', async () => {
    github.addPull({ number: 4, head: 'h4', author: 'alice' });
    await createCycle('staging-12', T0, [{ number: 4, sha: 'h4' }]);
    await finish('staging-12', 'failed', stage('deploy', 'failed', 'rollout failed'));
    const marks = new ExcludedLabelMarks(redis, keys);
    const excludedAt = T0 + 30 * MIN;
    const job = { type: 'exclusion' as const, key: 'exclusion.staging-12', repo: 'acme/app', installationId: null, pr: 4, sha: 'h4', originCycleId: 'staging-12', stage: 'deploy', steps: 2 };
    await postExclusion(testClients(github), cycles, job, { botName: 'stagecraft', marks, excludedAt });
    expect(github.pull(4)?.labels).toEqual([EXCLUDED_LABEL]);
    expect(await marks.get('acme/app', 4)).toEqual({ sha: 'h4', origin: 'staging-12', stage: 'deploy', at: excludedAt });
    expect(await redis.ttl(keys.excludedLabel('acme/app', 4))).toBeGreaterThan(89 * 24 * 3600);

    // The failed cycle, and a cycle that started before the verdict, published late: the label stays.
    await publisher.publish('staging-12', null);
    await createCycle('staging-13', T0 + 20 * MIN, [{ number: 4, sha: 'h4' }]);
    await publisher.publish('staging-13', null);
    expect(github.pull(4)?.labels).toEqual([EXCLUDED_LABEL]);

    // A push: the cycle after it takes the new head in.
    github.addPull({ number: 4, head: 'h4fixed', author: 'alice', labels: [EXCLUDED_LABEL] });
    await createCycle('staging-15', T0 + 40 * MIN, [{ number: 4, sha: 'h4fixed' }]);
    await publisher.publish('staging-15', null);
    expect(github.pull(4)?.labels).toEqual([]);
    expect(await marks.get('acme/app', 4)).toBeNull();
    const back = "↩️ **Back in staging**: #4 was left out at head `h4` after a bisection found it broke deploy in staging-12; its new head `h4fixed` is tried in cycle staging-15, and the `stagecraft: excluded` label is off.";
    expect(commentOn(4)[0]!.body).toContain(back);

    // Later publishes of that cycle keep saying so, without asking GitHub to remove the label again.
    const deletes = () => github.calls.filter((c) => c.method === 'DELETE' && c.path.includes('/labels/')).length;
    expect(deletes()).toBe(1);
    await finish('staging-15', 'succeeded', stage('deploy', 'succeeded', 'rolled out'));
    await publisher.publish('staging-15', null);
    expect(commentOn(4)[0]!.body).toContain(back);
    expect(commentOn(4)[0]!.body).toContain('✅ partial cycle staging-15 deployed to staging');
    expect(deletes()).toBe(1);
  });

  it("a maintainer's deploy takes the same head back; a label already gone by hand is no error", async () => {
    github.addPull({ number: 4, head: 'h4', author: 'alice' });
    const marks = new ExcludedLabelMarks(redis, keys);
    await marks.set('acme/app', 4, { sha: 'h4', origin: 'staging-12', stage: 'test-kernel', at: T0 });
    await createCycle('staging-16', T0 + MIN, [{ number: 4, sha: 'h4' }], { trigger: 'deploy-command' });
    await publisher.publish('staging-16', null);
    expect(commentOn(4)[0]!.body).toContain("#4 was left out at head `h4` after a bisection found it broke test-kernel in staging-12; a maintainer's `deploy` took head `h4` back as it is in cycle staging-16");
    expect(await marks.get('acme/app', 4)).toBeNull();
  });
});
