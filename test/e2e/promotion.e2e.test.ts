import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeKubeServer, startFakeGitHub, writeKubeconfig, type FakeGitHub } from '@stagecraft/testing';
import { ROOT, startStack, waitUntil, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const REPO = 'acme/app';
const API = 'reg.local:5000/team/api';
const BOSS1_TOKEN = 'boss1-dashboard-token';

/** Webhooks about acme/app, delivered for the App's installation. */
const ours = { repository: REPO, installationId: 77 };
const pushToMain = (after: string, before: string) => ({ ...ours, branch: 'main', sha: after, before, paths: ['services/api/server.ts'] });
const comment = (body: string, author: string, pr: number) => ({ ...ours, action: 'created', body, author, number: pr, commentId: Math.floor(Math.random() * 1e9) });

/** Staging and production on a local Kubernetes API server; the kubernetes build and deploy executors. */
function writeConfig(dir: string, kubeconfig: string): string {
  const path = join(dir, 'stagecraft.yaml');
  const cluster = (namespace: string) => `{ kubeconfig: ${kubeconfig}, context: fake, namespace: ${namespace} }`;
  writeFileSync(
    path,
    `github:
  repository: ${REPO}
  mainBranch: main
  stagingBranch: staging
  botName: stagecraft
  privateKey: { env: GITHUB_PRIVATE_KEY }
  webhookSecret: { env: GITHUB_WEBHOOK_SECRET }
  writeInterval: 0
  commentInterval: 0
policy: { settle: 300ms, settleMax: 1s, throttle: 300ms, fullInterval: 1h, idleCheck: 1h, idleCheckEvery: 1h, maxRestarts: 1 }
trust:
  maintainers: [maint]
  trusted: [alice]
  approvers: [boss1, boss2]
  maintainerPermissions: [admin]
environments:
  staging: { auto: true, kubernetes: ${cluster('stg')} }
  production: { auto: false, approval: true, approvals: 2, requestTtl: 1h, kubernetes: ${cluster('prod')} }
components:
  - name: api
    paths: ["services/api/**"]
    images: ["${API}"]
    deployments: [api]
stages:
  compose: { executor: github, timeout: 30s, maxAge: 14d }
  build:
    executor: kubernetes
    timeout: 30s
    pollInterval: 50ms
    jobTemplate: { spec: { template: { spec: { containers: [{ name: kaniko, image: kaniko, args: ["--destination={{image}}"] }] } } } }
  drain: { command: "true", timeout: 30s, killGrace: 500ms }
  deploy: { executor: kubernetes, timeout: 30s, rolloutTimeout: 20s, pollInterval: 50ms }
  testKernel:
    command: echo '{"passed":12,"failed":0,"skipped":0}' > "$STAGECRAFT_RESULTS"
    timeout: 30s
    killGrace: 500ms
workers: { lockDuration: 2s, stalledInterval: 1s, maxStalledCount: 3, shutdownGrace: 5s }
apps:
  dashboard:
    token: { env: STAGECRAFT_DASHBOARD_TOKEN }
    users: [{ login: boss1, token: { env: BOSS1_TOKEN } }]
log: { level: info }
`,
  );
  return path;
}

describe('releases and production: every app a process, GitHub and Kubernetes local servers', () => {
  let github: FakeGitHub;
  let kube: FakeKubeServer;
  let stack: Stack;
  let dir: string;
  const prComments = (pr: number) => github.comments.filter((c) => c.issue === pr);
  const cli = async (...args: string[]) => {
    const url = stack.urlOf('dashboard');
    try {
      const { stdout } = await run(process.execPath, [join(ROOT, 'apps/cli/dist/main.js'), ...args, '--url', url, '--token', BOSS1_TOKEN], { cwd: dir });
      return { code: 0, stdout };
    } catch (err) {
      return { code: (err as { code: number }).code, stdout: (err as { stdout: string }).stdout + (err as { stderr: string }).stderr };
    }
  };
  const stagingCycles = async () => (await stack.cycles()).filter((c) => c.env === 'staging');
  const productionCycles = async () => (await stack.api<{ cycles: any[] }>('/api/cycles?env=production&limit=50')).cycles.reverse();
  const settledStaging = (count: number) =>
    waitUntil(`staging cycle ${count}`, async () => {
      const cycles = await stagingCycles();
      return cycles.length >= count && cycles.every((c) => c.state !== 'running') ? cycles[count - 1] : null;
    }, 40_000);
  const productionDone = (count: number) =>
    waitUntil(`production cycle ${count}`, async () => {
      const cycles = await productionCycles();
      const promotions = (await stack.api<{ promotions: any[] }>('/api/promotions?env=production')).promotions;
      return cycles.length >= count && cycles.every((c) => c.state !== 'running') && promotions.every((p) => p.state !== 'deploying') ? cycles[count - 1] : null;
    }, 40_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stagecraft-promotion-e2e-'));
    kube = await new FakeKubeServer({ rollout: () => ({ outcome: 'complete', afterPolls: 1 }) }).start();
    kube.addDeployment('stg', 'api', { app: `${API}:old` });
    kube.addDeployment('prod', 'api', { app: `${API}:old` });
    const kubeconfig = writeKubeconfig(dir, { server: kube.url, token: kube.token });
    github = await startFakeGitHub({ owner: 'acme', repo: 'app' });
    // The repository is empty while Stagecraft starts: the idle check at boot, which reads GitHub,
    // finds nothing, so the push below starts the first cycle.
    github.refs.delete('main');
    // With a GitHub App configured the launcher starts the notifier too, as `stagecraft start` does.
    stack = await startStack({
      env: {
        STAGECRAFT_CONFIG: writeConfig(dir, kubeconfig),
        STAGECRAFT_GITHUB__APP_ID: String(github.appId),
        STAGECRAFT_GITHUB__BASE_URL: github.baseUrl,
        GITHUB_PRIVATE_KEY: github.privateKey,
        BOSS1_TOKEN,
      },
    });
    await waitUntil('the idle check at boot', async () => ((await stack.jobCounts('idle-check'))['completed'] ? true : null), 30_000);
    github.setMain('m1');
    github.addPull({ number: 1, head: 'h1', author: 'alice', files: ['services/api/server.ts'] });
  }, 90_000);

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
    await github?.close();
    await kube?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  let firstImage = '';

  it("promotes a release that passed a full staging cycle after two approvers; a non-approver's approve is refused; production gets staging's image without a build", async () => {
    await stack.sendWebhook('push', pushToMain('m1', '0'.repeat(40)));
    const staging = await settledStaging(1);
    expect(staging).toMatchObject({ state: 'succeeded', kind: 'full', prs: [{ number: 1, sha: 'h1' }] });
    firstImage = `${API}:${staging.stagingSha}`;
    expect(kube.images('stg', 'api')).toEqual({ app: firstImage });
    expect(kube.callsTo('POST', '/namespaces/stg/jobs').length).toBeGreaterThan(0);

    await stack.sendWebhook('issue_comment', comment('@stagecraft promote', 'boss1', 1));
    await waitUntil('the promote answer', async () => (prComments(1).some((c) => c.body.startsWith('@boss1 production-p')) ? true : null));
    expect(prComments(1).find((c) => c.body.startsWith('@boss1 production-p'))!.body).toContain(`promote ${staging.id} to production, waiting for 1 more approval(s)`);

    await stack.sendWebhook('issue_comment', comment('@stagecraft approve', 'stranger', 1));
    await waitUntil('the refusal', async () => (prComments(1).some((c) => c.body.startsWith('@stranger refused:')) ? true : null));
    expect(prComments(1).find((c) => c.body.startsWith('@stranger refused:'))!.body).toContain('not an approver');
    expect(await productionCycles()).toEqual([]);
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:old` });

    await stack.sendWebhook('issue_comment', comment('@stagecraft approve', 'boss2', 1));
    const production = await productionDone(1);
    expect(production).toMatchObject({ env: 'production', state: 'succeeded', rebuild: [], stagingSha: staging.stagingSha, release: { id: staging.id } });
    expect(production.stages.map((s: { stage: string }) => s.stage)).not.toContain('build');
    expect(kube.images('prod', 'api')).toEqual({ app: firstImage });
    expect(kube.callsTo('POST', '/namespaces/prod/jobs')).toEqual([]);

    // GitHub: a production deployment of the PR's head, and the PR told of its promotion.
    await waitUntil('the production deployment', async () => (github.deployments.find((d) => d.environment === 'production')?.statuses.some((s) => s.state === 'success') ? true : null));
    expect(github.deployments.find((d) => d.environment === 'production')).toMatchObject({ ref: 'h1', production_environment: true });
    await waitUntil('the promotion reply', async () => (prComments(1).some((c) => c.body.startsWith('Deployed to production in release')) ? true : null));
  }, 120_000);

  it('stagecraft audit lists every step; stagecraft promote acts as the token’s login', async () => {
    const audit = await cli('audit', '--env', 'production', '--json');
    expect(audit.code).toBe(0);
    const steps = (JSON.parse(audit.stdout) as { audit: Array<{ step: string; by: string | null }> }).audit.reverse().map((a) => `${a.step}:${a.by ?? '-'}`);
    expect(steps).toEqual(['asked:boss1', 'refused:stranger', 'approved:boss2', 'deploying:-', 'deployed:-']);

    github.setCompare('m1', 'm2', ['services/api/server.ts']);
    github.setMain('m2');
    await stack.sendWebhook('push', pushToMain('m2', 'm1'));
    const partial = await settledStaging(2);
    expect(partial).toMatchObject({ state: 'succeeded', kind: 'partial' });
    const refused = await cli('promote', '--env', 'production', '--release', partial.id);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stdout).toContain(`refused: release ${partial.id} passed only a partial staging cycle`);
    // A maintainer's trigger runs the full cycle that makes main m2 promotable.
    await stack.sendWebhook('issue_comment', comment('@stagecraft trigger', 'maint', 1));
    const second = await settledStaging(3);
    expect(second).toMatchObject({ state: 'succeeded', kind: 'full', mainSha: 'm2' });
    const promoted = await cli('promote', '--env', 'production', '--release', second.id);
    expect(promoted.stdout).toContain(`promote ${second.id} to production, waiting for 1 more approval(s)`);
    expect(promoted).toMatchObject({ code: 0 });
    await stack.sendWebhook('issue_comment', comment('@stagecraft approve', 'boss2', 1));
    await productionDone(2);
    expect(kube.images('prod', 'api')).toEqual({ app: `${API}:${second.stagingSha}` });

    const releases = await cli('releases', '--env', 'production');
    expect(releases.stdout).toContain(second.id);
  }, 120_000);

  it('a rollback restores the previous production image', async () => {
    await stack.sendWebhook('issue_comment', comment('@stagecraft rollback', 'boss1', 1));
    await waitUntil('the rollback request', async () => (prComments(1).some((c) => c.body.includes('roll back to')) ? true : null));
    await stack.sendWebhook('issue_comment', comment('@stagecraft approve', 'boss2', 1));
    const rollback = await productionDone(3);
    expect(rollback.state).toBe('succeeded');
    expect(kube.images('prod', 'api')).toEqual({ app: firstImage });
    const audit = await cli('audit', '--env', 'production');
    expect(audit.stdout).toContain('rolled-back');
  }, 90_000);
});
