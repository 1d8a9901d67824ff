import { describe, expect, it } from '@jest/globals';
import { formatStatus } from './format-status.js';
import { formatCycleDetail } from './format-cycle-detail.js';
import { explain, initialEnvState, type EnvState, type PendingCycle, type RunningCycle } from '@stagecraft/policy';
import type { CycleRecord, EnvironmentStatus, StageRecord, StatusSnapshot } from './status-types.js';

const NOW = Date.UTC(2025, 10, 24, 14, 0, 0);
const at = (hh: number, mm: number, ss = 0) => Date.UTC(2025, 10, 24, hh, mm, ss);
const options = { now: NOW, timeZone: 'UTC' };
const REPO = 'acme/app';
/** What the snapshot holds besides environments and cycles, for one configured repository and nothing ignored. */
const oneRepository = { repositories: [REPO], ignoredRepositories: [] };

const stage = (name: StageRecord['stage'], status: StageRecord['status'], startedAt: number, seconds: number, summary: string, extra: Partial<StageRecord> = {}): StageRecord => ({
  stage: name,
  status,
  startedAt,
  finishedAt: startedAt + seconds * 1000,
  summary,
  attempt: 1,
  details: null,
  outputTail: [],
  ...extra,
});

const cycle = (over: Partial<CycleRecord>): CycleRecord => ({
  id: 'staging-1',
  env: 'staging',
  kind: 'partial',
  state: 'succeeded',
  trigger: 'change',
  reason: 'settle passed',
  requestedBy: null,
  restarts: 0,
  startedAt: at(13, 0),
  finishedAt: at(13, 2, 5),
  components: ['api'],
  rebuild: ['api'],
  mainSha: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  stagingSha: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  repos: [{ repo: REPO, mainSha: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', stagingSha: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }],
  prs: [],
  stages: [],
  runningStage: null,
  cancelReason: null,
  ...over,
});

const fullInterval = { settleMs: 300_000, settleMaxMs: 900_000, throttleMs: 1_800_000, fullIntervalMs: 6 * 3_600_000, idleCheckMs: 6 * 3_600_000, maxRestarts: 1 };
/** An environment as GET /api/environments has it: explain() of its state. */
const environment = (name: string, state: Partial<EnvState> = {}): EnvironmentStatus => ({
  name,
  explanation: explain({ ...initialEnvState(name), ...state }, fullInterval, NOW),
});
const running = (over: Partial<RunningCycle>): RunningCycle => ({
  id: 'staging-3',
  kind: 'partial',
  trigger: 'change',
  startedAt: at(13, 58, 30),
  restarts: 0,
  components: 'all',
  rebuild: 'all',
  cancelling: false,
  ...over,
});
const pending = (over: Partial<PendingCycle>): PendingCycle => ({
  id: 'staging-4',
  trigger: 'change',
  forcedKind: null,
  immediate: false,
  firstChangeAt: at(14, 0),
  lastChangeAt: at(14, 0),
  runAt: at(14, 5),
  waitingFor: 'settle',
  restarts: 0,
  changes: 1,
  components: 'all',
  rebuild: 'all',
  requestedBy: null,
  ...over,
});

describe('formatStatus', () => {
  it('shows the running cycle with its current stage, the next one, and the recent cycles with the newest stages', () => {
    const runningRecord = cycle({
      id: 'staging-3',
      state: 'running',
      startedAt: at(13, 58, 30),
      finishedAt: null,
      prs: [{ repo: REPO, number: 4, sha: 'c'.repeat(40) }],
      stages: [stage('compose', 'succeeded', at(13, 58, 30), 2.5, 'staging = main + #4'), stage('build', 'skipped', at(13, 58, 33), 0, 'no image paths changed')],
    });
    const snapshot: StatusSnapshot = {
      ...oneRepository,
      environments: [
        environment('staging', {
          running: running({ restarts: 1 }),
          pending: pending({ changes: 2, waitingFor: 'running-cycle' }),
          lastFinishedAt: at(13, 2, 5),
          lastFullStartedAt: null,
        }),
      ],
      cycles: {
        staging: [
          runningRecord,
          cycle({ id: 'staging-2', kind: 'full', trigger: 'trigger-command', state: 'failed', prs: [{ repo: REPO, number: 1, sha: 'a'.repeat(40) }, { repo: REPO, number: 2, sha: 'b'.repeat(40) }], restarts: 0 }),
          cycle({ id: 'staging-1', state: 'cancelled', restarts: 0, finishedAt: at(13, 0, 40) }),
        ],
      },
    };
    expect(formatStatus(snapshot, options)).toBe(
      [
        'staging',
        '  running  staging-3 (partial, change, restart 1) for 1m30s, stage: drain',
        '  next     staging-4 (change): after staging-3 finishes; full: no full cycle has run yet',
        '  last cycle finished 13:02:05 (57m55s ago); no full cycle yet',
        '',
        '  ID         KIND     TRIGGER          STATE      DURATION  PRS    RESTARTS',
        '  staging-3  partial  change           running    1m30s…    #4     0',
        '  staging-2  full     trigger-command  failed     2m5s      #1 #2  0',
        '  staging-1  partial  change           cancelled  40s       –      0',
        '',
        '  staging-3 started 13:58:30:',
        '    ✓ compose     succeeded 2.5s    staging = main + #4',
        '    – build       skipped   0ms     no image paths changed',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing runs, nothing is scheduled and nothing ran yet', () => {
    expect(formatStatus({ ...oneRepository, environments: [environment('production')], cycles: {} }, options)).toBe(
      [
        'production',
        '  running  nothing running',
        '  next     nothing scheduled: waiting for a change or a command',
        '  no cycle has finished yet; no full cycle yet',
        '  no cycles recorded',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['a running full cycle with every stage reported', 'full', ['compose', 'build', 'drain', 'deploy', 'test-kernel'], 'stage: finishing'],
    ['a full cycle after deploy', 'full', ['compose', 'build', 'drain', 'deploy'], 'stage: test-kernel'],
    ['a partial cycle after deploy', 'partial', ['compose', 'build', 'drain', 'deploy'], 'stage: finishing'],
    ['a cycle that has just started', 'partial', [], 'stage: compose'],
  ] as const)('names the current stage of %s', (_, kind, done, expected) => {
    const record = cycle({ id: 'staging-9', kind, state: 'running', finishedAt: null, startedAt: at(13, 59), stages: done.map((s) => stage(s, 'succeeded', at(13, 59), 1, 'ok')) });
    const text = formatStatus(
      { ...oneRepository, environments: [environment('staging', { running: running({ id: 'staging-9', kind, trigger: 'idle-check', startedAt: at(13, 59) }) })], cycles: { staging: [record] } },
      options,
    );
    expect(text.split('\n')[1]).toBe(`  running  staging-9 (${kind}, idle-check) for 1m, ${expected}`);
  });

  it.each<[string, Partial<PendingCycle>, string]>([
    ['settle', { changes: 2 }, 'staging-4 (change): settle until 14:05:00 (2 changes), in 5m; full: the last full cycle started 1d4h before this one (fullInterval 6h)'],
    ['throttle', { waitingFor: 'throttle', runAt: at(14, 30) }, 'staging-4 (change): throttled until 14:30:00: the last cycle finished at 13:30:00, in 30m; full: the last full cycle started 1d5h before this one (fullInterval 6h)'],
    ['a deploy command', { waitingFor: 'running-cycle', forcedKind: 'partial', trigger: 'deploy-command', requestedBy: 'maint' }, 'staging-4 (deploy-command, requested by maint): after the running cycle; partial: requested by a deploy command'],
    ['something newer', { waitingFor: 'something-new' as never, runAt: at(15, 0) }, 'staging-4 (change): waiting for something-new, in 1h; full: the last full cycle started 1d5h before this one (fullInterval 6h)'],
  ])('explains a pending cycle waiting for %s', (_name, over, expected) => {
    const text = formatStatus(
      { ...oneRepository, environments: [environment('staging', { pending: pending(over), lastFinishedAt: at(13, 30), lastFullStartedAt: at(9, 15) - 24 * 3_600_000 })], cycles: {} },
      options,
    );
    expect(text.split('\n')[2]).toBe(`  next     ${expected}`);
    expect(text.split('\n')[3]).toBe('  last cycle finished 13:30:00 (30m ago); last full cycle started 2025-11-23 09:15 (1d4h ago)');
  });

  it('lists at most the last 10 cycles', () => {
    const cycles = Array.from({ length: 12 }, (_, i) => cycle({ id: `staging-${12 - i}` }));
    const text = formatStatus({ ...oneRepository, environments: [environment('staging')], cycles: { staging: cycles } }, options);
    expect(text).toContain('staging-3  ');
    expect(text).not.toContain('staging-2  ');
  });

  it('with several repositories: a line per repository of what each environment runs, PRs named with their repository', () => {
    const repos = [
      { repo: 'acme/api', mainSha: '1'.repeat(40), stagingSha: '2'.repeat(40) },
      { repo: 'acme/core-library', mainSha: '3'.repeat(40), stagingSha: '4'.repeat(40) },
    ];
    const deployedCycle = cycle({ id: 'staging-2', repos, prs: [{ repo: 'acme/api', number: 12, sha: 'a'.repeat(40) }, { repo: 'acme/core-library', number: 12, sha: 'b'.repeat(40) }] });
    const snapshot: StatusSnapshot = {
      repositories: ['acme/api', 'acme/core-library'],
      ignoredRepositories: [{ repository: 'acme/other', webhooks: 12 }, { repository: 'octo/third', webhooks: 1 }],
      environments: [
        {
          ...environment('staging', { lastFinishedAt: at(13, 2, 5) }),
          deployed: {
            cycle: 'staging-2',
            finishedAt: at(13, 2, 5),
            repositories: [
              { repository: 'acme/api', mainSha: '1'.repeat(40), stagingSha: '2'.repeat(40), prs: [{ number: 12, sha: 'a'.repeat(40) }] },
              { repository: 'acme/core-library', mainSha: '3'.repeat(40), stagingSha: '4'.repeat(40), prs: [] },
            ],
          },
        },
        { ...environment('production'), deployed: null },
      ],
      cycles: { staging: [deployedCycle] },
    };
    expect(formatStatus(snapshot, options)).toBe(
      [
        'staging',
        '  running  nothing running',
        '  next     nothing scheduled: waiting for a change or a command',
        '  last cycle finished 13:02:05 (57m55s ago); no full cycle yet',
        '  runs     staging-2, deployed 13:02:05',
        '    acme/api           main 1111111  staging 2222222  PRs acme/api#12',
        '    acme/core-library  main 3333333  staging 4444444  no PRs',
        '',
        '  ID         KIND     TRIGGER  STATE      DURATION  PRS                               RESTARTS',
        '  staging-2  partial  change   succeeded  2m5s      acme/api#12 acme/core-library#12  0',
        '',
        '  staging-2 started 13:00:00: no stage has finished yet',
        '',
        'production',
        '  running  nothing running',
        '  next     nothing scheduled: waiting for a change or a command',
        '  no cycle has finished yet; no full cycle yet',
        '  runs     nothing deployed by Stagecraft yet',
        '  no cycles recorded',
        '',
        'webhooks from repositories not in repositories: (add one there to stage it, or remove the GitHub App or webhook from it)',
        '  ignored 12 webhooks from acme/other',
        '  ignored 1 webhook from octo/third',
        '',
      ].join('\n'),
    );
  });

  it('with one repository, says which webhooks ingress ignored after the environments, and adds nothing else', () => {
    const snapshot: StatusSnapshot = { repositories: [REPO], ignoredRepositories: [{ repository: 'acme/other', webhooks: 12 }], environments: [environment('production')], cycles: {} };
    expect(formatStatus(snapshot, options)).toBe(
      [
        'production',
        '  running  nothing running',
        '  next     nothing scheduled: waiting for a change or a command',
        '  no cycle has finished yet; no full cycle yet',
        '  no cycles recorded',
        '',
        'webhooks from repositories not in repositories: (add one there to stage it, or remove the GitHub App or webhook from it)',
        '  ignored 12 webhooks from acme/other',
        '',
      ].join('\n'),
    );
  });
});

describe('formatCycleDetail', () => {
  it('prints every stage with its summary and output tail', () => {
    const c = cycle({
      id: 'staging-2',
      kind: 'full',
      trigger: 'trigger-command',
      requestedBy: 'Codertocat',
      state: 'failed',
      prs: [{ repo: REPO, number: 1, sha: 'a'.repeat(40) }],
      stages: [
        stage('compose', 'succeeded', at(13, 0), 3, 'staging = main + #1'),
        stage('build', 'failed', at(13, 0, 3), 62, 'api: docker build failed', { attempt: 2, outputTail: ['step 3/7', 'error: no such file'] }),
      ],
    });
    expect(formatCycleDetail(c, options)).toBe(
      [
        'cycle staging-2 (staging): full, failed',
        '  trigger     trigger-command by Codertocat',
        '  reason      settle passed',
        '  time        13:00:00 → 13:02:05 (2m5s)',
        '  restarts    0',
        '  commits     main 1111111, staging 2222222',
        '  PRs         #1 at aaaaaaa',
        '  components  api (rebuilt: api)',
        '  stages',
        '    ✓ compose     succeeded 3s      staging = main + #1',
        '    ✗ build       failed    1m2s    api: docker build failed (attempt 2)',
        '        │ step 3/7',
        '        │ error: no such file',
        '',
      ].join('\n'),
    );
  });

  it('shows a running cycle without stages and a cancelled one with its reason', () => {
    const running = formatCycleDetail(cycle({ state: 'running', finishedAt: null, startedAt: at(13, 59, 50), rebuild: [], mainSha: null, stagingSha: null }), options);
    expect(running).toContain('  time        13:59:50, running for 10s\n');
    expect(running).toContain('  components  api (no rebuild)\n');
    expect(running).toContain('  commits     main –, staging –\n');
    expect(running).toContain('  stages\n    none has finished yet\n');
    expect(formatCycleDetail(cycle({ state: 'cancelled', cancelReason: 'a change arrived during a partial cycle' }), options)).toContain(
      '  cancelled   a change arrived during a partial cycle\n',
    );
  });

  it('with several repositories, a commits line per repository and each PR with its repository', () => {
    const text = formatCycleDetail(
      cycle({
        repos: [
          { repo: 'acme/api', mainSha: '1'.repeat(40), stagingSha: '2'.repeat(40) },
          { repo: 'acme/core', mainSha: '3'.repeat(40), stagingSha: null },
        ],
        prs: [{ repo: 'acme/api', number: 12, sha: 'a'.repeat(40) }, { repo: 'acme/core', number: 12, sha: 'b'.repeat(40) }],
      }),
      options,
    );
    expect(text).toContain(
      ['  commits     acme/api: main 1111111, staging 2222222', '              acme/core: main 3333333, staging –', '  PRs         acme/api#12 at aaaaaaa, acme/core#12 at bbbbbbb', ''].join('\n'),
    );
  });
});

describe('a bisection in stagecraft status', () => {
  const pr = (number: number) => ({ repo: REPO, number, sha: `${number}`.repeat(40) });
  const candidates = [1, 2, 3, 4, 5, 6].map(pr);
  const origin = cycle({
    id: 'staging-12',
    state: 'failed',
    prs: candidates,
    bisection: {
      stage: 'deploy',
      candidates,
      steps: [
        { cycleId: 'staging-13', prs: candidates.slice(0, 3), result: 'passed' },
        { cycleId: 'staging-14', prs: candidates.slice(0, 5), result: 'failed' },
        { cycleId: 'staging-15', prs: candidates.slice(0, 4), result: null },
      ],
      verdict: null,
    },
  });
  const step = cycle({ id: 'staging-15', trigger: 'bisection', state: 'running', finishedAt: null, prs: candidates.slice(0, 4), bisect: { origin: 'staging-12', stage: 'deploy', step: 3, maxSteps: 3 } });

  it('the running step says what it bisects; the cycle table marks steps; the PRs kept out are listed with how to bring each back', () => {
    const snapshot: StatusSnapshot = {
      ...oneRepository,
      environments: [
        environment('staging', {
          running: running({ id: 'staging-15', trigger: 'bisection', bisect: 'staging-12' }),
          bisection: { origin: 'staging-12', stage: 'deploy', candidates, passing: 3, failing: 5, kind: 'partial', components: 'all', rebuild: 'all', steps: [] },
        }),
      ],
      cycles: { staging: [step, origin] },
      exclusions: [{ repo: REPO, number: 9, sha: '9'.repeat(40), reason: 'it broke deploy in staging-7 (found by bisection in 2 cycles)', cycleId: 'staging-7', stage: 'deploy', at: at(12, 0), bringBack: 'push a fix to it, or a maintainer comments `@stagecraft deploy` on it to take this head back as it is' }],
    };
    const text = formatStatus(snapshot, options);
    expect(text).toContain("  running  staging-15 (partial, bisection) for 1m30s: bisecting staging-12's deploy failure: step 1 of at most 3, stage: compose\n");
    expect(text).toContain('  staging-15  partial  bisection 3/3');
    expect(text).toContain(
      [
        'excluded from staging by a bisection',
        '  #9 at 9999999: it broke deploy in staging-7 (found by bisection in 2 cycles); to bring it back, push a fix to it, or a maintainer comments `@stagecraft deploy` on it to take this head back as it is',
      ].join('\n'),
    );
  });

  it('--cycle shows the failed cycle, each step with the PRs it tried and how it ended, and the verdict as a tree', () => {
    const tree = [
      '  bisection   staging-12 failed at deploy with 6 suspect PR(s): #1, #2, #3, #4, #5, #6',
      '    ├─ step 1  staging-13  main + #1, #2, #3          ✓ passed',
      '    ├─ step 2  staging-14  main + #1, #2, #3, #4, #5  ✗ failed',
      '    ├─ step 3  staging-15  main + #1, #2, #3, #4      … running',
    ];
    expect(formatCycleDetail(origin, options)).toContain([...tree, '    └─ looking for the cause: step 3 of at most 3', '  stages'].join('\n'));
    const excluded = { ...origin, bisection: { ...origin.bisection!, verdict: { kind: 'pr' as const, pr: pr(4) } } };
    expect(formatCycleDetail(excluded, options)).toContain("    └─ verdict: #4 excluded at 4444444: it breaks deploy (a push to it, or a maintainer's deploy, brings it back)");
    expect(formatCycleDetail({ ...origin, bisection: { ...origin.bisection!, verdict: { kind: 'main' } } }, options)).toContain('    └─ verdict: main alone fails deploy: no PR is excluded (the fix belongs on main)');
    // A step links to the failed cycle, and shows its tree when it is given.
    const stepText = formatCycleDetail(step, options, origin);
    expect(stepText).toContain("  bisection   step 3 of at most 3 of staging-12's deploy failure; its result blames nobody (`stagecraft status --cycle staging-12` shows the verdict)\n");
    expect(stepText).toContain(tree.join('\n'));
  });
});
