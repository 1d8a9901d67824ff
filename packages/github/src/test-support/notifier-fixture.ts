import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CycleStore, type CycleRecord } from '@stagecraft/engine';
import { deletePrefixedKeys, stagecraftKeys, type StageResult } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { startFakeGitHub, type FakeGitHubOptions } from '@stagecraft/testing';
import { CyclePublisher, type CyclePublisherResources } from '../report/cycle-publisher.js';
import { testClients } from './repository-config.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * What the notifier's tests stand on: a fake GitHub, real Redis under a fresh key prefix, the
 * cycle records, and a CyclePublisher on them (the defaults the tests share; `over` changes any).
 */
export async function startNotifierFixture(fake: FakeGitHubOptions = {}) {
  const github = await startFakeGitHub(fake);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const cycles = new CycleStore(redis, keys);
  return {
    github,
    redis,
    prefix,
    keys,
    cycles,
    publisher: (over: Partial<CyclePublisherResources> = {}) =>
      new CyclePublisher({
        redis,
        keys,
        cycles,
        github: testClients(github),
        checkName: 'stagecraft/staging',
        cycleUrl: (id) => `https://stagecraft.example.com/cycles/${id}`,
        productionEnvironments: [],
        deployments: true,
        clock: Date.now,
        logger: createLogger({ app: 'test', level: 'silent' }),
        ...over,
      }),
    async close() {
      await deletePrefixedKeys(redis, prefix);
      redis.disconnect();
      await github.close();
    },
  };
}
export type NotifierFixture = Awaited<ReturnType<typeof startNotifierFixture>>;

/** A running partial cycle of acme/app as the scheduler records one when it starts; `over` changes any of it. */
export function cycleHeader(id: string, startedAt: number, over: Partial<Omit<CycleRecord, 'stages' | 'runningStage'>> = {}): Omit<CycleRecord, 'stages' | 'runningStage'> {
  return {
    id,
    env: 'staging',
    kind: 'partial',
    state: 'running',
    trigger: 'change',
    reason: 'settle passed',
    requestedBy: null,
    restarts: 0,
    startedAt,
    finishedAt: null,
    components: ['api'],
    rebuild: ['api'],
    mainSha: 'a'.repeat(40),
    stagingSha: null,
    repos: [{ repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: null }],
    prs: [],
    cancelReason: null,
    ...over,
  };
}

/** A stage's result, 30 s long from `startedAt`. */
export function stageResult(stage: StageResult['stage'], status: StageResult['status'], startedAt: number, summary: string, details: StageResult['details'] = null): StageResult {
  return { stage, status, startedAt, finishedAt: startedAt + 30_000, summary, attempt: 1, details, outputTail: [] };
}
