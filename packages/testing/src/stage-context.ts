import type { StageContext } from '@stagecraft/executors';

/** A cycle's context as run-stage passes it to an executor. */
export function stageContext(overrides: Partial<StageContext> = {}): StageContext {
  return {
    cycleId: 'staging-42',
    env: 'staging',
    stage: 'drain',
    kind: 'full',
    sha: 'abc1234def5678',
    mainSha: '0000111',
    components: ['api', 'worker'],
    rebuild: ['api'],
    prs: [{ repo: 'acme/app', number: 7, sha: 'abc1234def5678' }],
    repos: [{ repo: 'acme/app', sha: 'abc1234def5678', mainSha: '0000111' }],
    attempt: 1,
    ...overrides,
  };
}
