// The example of docs/testing.md: a project's stagecraft.yaml and stage commands, tested with the
// testing kit (keep the two in step).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@stagecraft/config';
import { localExecutor } from '@stagecraft/executors';
import { githubComposeExecutor } from '@stagecraft/github';
import { testKernelDetailsOf } from '@stagecraft/queue';
import { buildWebhook, startEngineHarness, startFakeGitHub, type EngineHarness, type FakeGitHub } from '@stagecraft/testing';
import { normalizeWebhook } from '@stagecraft/webhooks';

let github: FakeGitHub;
let harness: EngineHarness;

beforeAll(async () => {
  // GitHub: main at m1 and one open PR by a trusted author.
  github = await startFakeGitHub({ owner: 'acme', repo: 'app' });
  github.setMain('m1');
  github.addPull({ number: 1, head: 'h1', author: 'alice', files: ['services/api/server.ts'] });

  // Your stagecraft.yaml, pointed at the fake GitHub.
  const config = loadConfig({
    path: fileURLToPath(new URL('./stagecraft.yaml', import.meta.url)),
    env: {
      STAGECRAFT_GITHUB__APP_ID: String(github.appId),
      STAGECRAFT_GITHUB__BASE_URL: github.baseUrl,
      GITHUB_PRIVATE_KEY: github.privateKey,
    },
  });

  // The scheduler and a worker per stage in this process, on real Redis (REDIS_URL) under a
  // random key prefix; each stage runs the executor its config names.
  harness = await startEngineHarness({ config, executors: [localExecutor, githubComposeExecutor] });
}, 30_000);

afterAll(async () => {
  await harness?.close();
  await github?.close();
});

it('runs a full cycle of our stage commands for a push to main', async () => {
  // The push as GitHub sends it, made into the event the ingress would queue.
  const webhook = buildWebhook('push', { repository: 'acme/app', branch: 'main', sha: 'm1', paths: ['services/api/server.ts'] });
  const normalized = normalizeWebhook({ name: 'push', deliveryId: 'delivery-1', receivedAt: Date.now(), payload: webhook, botName: 'stagecraft' });
  if (!('event' in normalized)) throw new Error(`ignored: ${normalized.ignored}`);
  await harness.engine.handleEvent(normalized.event);

  const [cycle] = await harness.waitFor('the cycle to finish', async () => {
    const cycles = await harness.listCycles();
    return cycles.length > 0 && cycles.every((c) => c.state !== 'running') ? cycles : null;
  }, 30_000);

  expect(cycle).toMatchObject({ state: 'succeeded', kind: 'full', prs: [{ number: 1, sha: 'h1' }] });
  expect(cycle!.stages.map((s) => [s.stage, s.status])).toEqual([
    ['compose', 'succeeded'],
    ['build', 'succeeded'],
    ['drain', 'succeeded'],
    ['deploy', 'succeeded'],
    ['test-kernel', 'succeeded'],
  ]);
  // compose merged the PR into staging on GitHub; deploy was given that staging SHA.
  expect(github.refs.get('staging')?.holds).toEqual(['main', 1]);
  const deploy = cycle!.stages.find((s) => s.stage === 'deploy')!;
  expect(deploy.outputTail).toEqual([`deploying ${github.refs.get('staging')?.sha} with PRs 1:h1`]);
  // test-kernel's results file, read back as Stagecraft reads it.
  const tests = testKernelDetailsOf(cycle!.stages.find((s) => s.stage === 'test-kernel')!.details);
  expect(tests?.results).toEqual({ passed: 3, failed: 0, skipped: 1 });
}, 40_000);
