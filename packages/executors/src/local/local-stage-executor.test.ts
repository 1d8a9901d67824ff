import { describe, expect, it } from '@jest/globals';
import type { StageContext } from '../stage-context.js';
import { LocalStageExecutor } from './local-stage-executor.js';

const context = (stage: string): StageContext => ({
  cycleId: 'staging-1',
  env: 'staging',
  stage,
  kind: 'full',
  sha: 'm1',
  mainSha: 'm1',
  components: ['api'],
  rebuild: ['api'],
  prs: [],
  repos: [],
  attempt: 1,
});

async function run(stage: string, command: string) {
  const executor = new LocalStageExecutor({ command, timeoutMs: 5000, cwd: null, env: {} });
  const lines: string[] = [];
  const outcome = await executor.run(context(stage), { signal: new AbortController().signal, log: (l) => lines.push(l) });
  return { outcome, lines };
}

const writes = (json: string) => `printf '%s' '${json}' > "$STAGECRAFT_RESULTS"`;

describe('LocalStageExecutor: the results file', () => {
  it.each([
    ['compose', '{"sha":"s1","mainSha":"m1","prs":[{"number":1,"sha":"h1"}],"note":"kept"}', { sha: 's1', mainSha: 'm1', prs: [{ number: 1, sha: 'h1' }], note: 'kept' }],
    ['test-kernel', '{"passed":12,"failed":0,"skipped":1}', { passed: 12, failed: 0, skipped: 1 }],
    ['deploy', '["anything"]', ['anything']],
  ])('records what %s wrote when it fits', async (stage, json, results) => {
    const { outcome } = await run(stage, writes(json));
    expect(outcome.status).toBe('succeeded');
    expect(outcome.details).toMatchObject({ exitCode: 0, results });
  });

  it('records nothing when the command wrote no file', async () => {
    const { outcome } = await run('compose', 'true');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.details).not.toHaveProperty('results');
  });

  it.each([
    ['compose', '{"sha":123,"prs":[{"number":"1","sha":"h1"}]}', ['sha: Invalid input: expected string, received number', 'prs[0].number: Invalid input: expected number, received string']],
    ['test-kernel', '{"passed":"12"}', ['passed: Invalid input: expected number, received string']],
    ['test-kernel', 'passed=12', [expect.stringMatching(/^it is not JSON \(/)]],
  ])('fails %s when its results do not fit, saying which fields and what to write', async (stage, json, problems) => {
    const { outcome, lines } = await run(stage, writes(json));
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toMatch(new RegExp(`^command succeeded, but ${stage}'s results file \\(\\$STAGECRAFT_RESULTS\\) does not match what Stagecraft reads: `));
    expect(outcome.summary).toContain('Make the command write the fields the README lists');
    expect(outcome.details).toEqual({ exitCode: 0, durationMs: expect.any(Number), resultsProblems: problems });
    expect(outcome.outputTail.at(-1)).toBe(outcome.summary.replace('command succeeded, but ', ''));
    expect(lines.at(-1)).toBe(outcome.outputTail.at(-1));
  });

  it('keeps a failed command failed for its own reason, noting the results problem', async () => {
    const { outcome } = await run('compose', `${writes('{"sha":1}')}; exit 3`);
    expect(outcome).toMatchObject({ status: 'failed', summary: 'command exited with code 3', details: { resultsProblems: ['sha: Invalid input: expected string, received number'] } });
  });
});
