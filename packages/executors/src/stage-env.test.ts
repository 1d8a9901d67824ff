import { describe, expect, it } from '@jest/globals';
import type { StageContext } from './stage-context.js';
import { stageEnv } from './stage-env.js';

const base: StageContext = {
  cycleId: 'staging-7',
  env: 'staging',
  stage: 'build',
  kind: 'full',
  sha: 'abc123',
  mainSha: 'def456',
  components: ['api', 'worker'],
  rebuild: ['api'],
  prs: [{ repo: 'acme/api', number: 12, sha: 'abc123' }, { repo: 'acme/api', number: 15, sha: 'def456' }],
  repos: [{ repo: 'acme/api', sha: 'abc123', mainSha: 'def456' }],
  attempt: 1,
};

describe('stageEnv', () => {
  it.each<[string, Partial<StageContext>, Record<string, string>]>([
    [
      'a full cycle with PRs',
      {},
      {
        STAGECRAFT_CYCLE: 'staging-7',
        STAGECRAFT_ENV: 'staging',
        STAGECRAFT_STAGE: 'build',
        STAGECRAFT_KIND: 'full',
        STAGECRAFT_SHA: 'abc123',
        STAGECRAFT_MAIN_SHA: 'def456',
        STAGECRAFT_COMPONENTS: 'api,worker',
        STAGECRAFT_REBUILD: 'api',
        STAGECRAFT_PRS: '12:abc123,15:def456',
        STAGECRAFT_REPOS: 'acme/api@abc123',
        STAGECRAFT_ATTEMPT: '1',
      },
    ],
    [
      'a cycle before compose, with nothing in it',
      { kind: 'partial', sha: null, mainSha: null, components: [], rebuild: [], prs: [], repos: [{ repo: 'acme/api', sha: null, mainSha: null }], attempt: 3 },
      {
        STAGECRAFT_CYCLE: 'staging-7',
        STAGECRAFT_ENV: 'staging',
        STAGECRAFT_STAGE: 'build',
        STAGECRAFT_KIND: 'partial',
        STAGECRAFT_SHA: '',
        STAGECRAFT_MAIN_SHA: '',
        STAGECRAFT_COMPONENTS: '',
        STAGECRAFT_REBUILD: '',
        STAGECRAFT_PRS: '',
        STAGECRAFT_REPOS: 'acme/api@',
        STAGECRAFT_ATTEMPT: '3',
      },
    ],
  ])('describes %s', (_name, override, expected) => {
    expect(stageEnv({ ...base, ...override })).toEqual(expected);
  });

  it('qualifies each PR with its repository and lists every repository when there are several', () => {
    const env = stageEnv({
      ...base,
      repos: [
        { repo: 'kernelci/kernelci-core', sha: 'c0ffee', mainSha: 'c0de' },
        { repo: 'kernelci/kernelci-api', sha: null, mainSha: 'a11' },
      ],
      prs: [{ repo: 'kernelci/kernelci-core', number: 12, sha: 'abc' }, { repo: 'kernelci/kernelci-api', number: 12, sha: 'def' }],
    });
    expect(env).toMatchObject({
      STAGECRAFT_REPOS: 'kernelci/kernelci-core@c0ffee,kernelci/kernelci-api@a11',
      STAGECRAFT_PRS: 'kernelci/kernelci-core#12:abc,kernelci/kernelci-api#12:def',
    });
  });

  it('adds the work directory when the stage has one', () => {
    expect(stageEnv({ ...base, workdir: '/srv/checkout' })).toMatchObject({ STAGECRAFT_WORKDIR: '/srv/checkout' });
  });

  it('tells a promotion cycle its release and the images staging deployed', () => {
    const env = stageEnv({ ...base, env: 'production', stage: 'deploy', release: { id: 'staging-7', images: { api: ['reg/api:abc123@sha256:00ff'], worker: ['reg/worker:abc123'] } } });
    expect(env).toMatchObject({ STAGECRAFT_ENV: 'production', STAGECRAFT_RELEASE: 'staging-7', STAGECRAFT_SHA: 'abc123', STAGECRAFT_IMAGES: 'api=reg/api:abc123@sha256:00ff,worker=reg/worker:abc123' });
    expect(stageEnv(base)).not.toHaveProperty('STAGECRAFT_RELEASE');
  });

  it('marks a bisection step with its origin and place in the search, and only then', () => {
    const step = stageEnv({ ...base, stage: 'compose', prs: [base.prs[0]!], bisect: { origin: 'staging-12', step: 2, maxSteps: 3 } });
    expect(step).toMatchObject({ STAGECRAFT_BISECT: 'staging-12:2/3', STAGECRAFT_PRS: '12:abc123', STAGECRAFT_REPOS: 'acme/api@abc123' });
    expect(stageEnv(base)).not.toHaveProperty('STAGECRAFT_BISECT');
  });
});
