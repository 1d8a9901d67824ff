import { describe, expect, it } from '@jest/globals';
import { parseConfig } from './parse-config.js';
import { repositoryRulesOf } from './repository-rules-of.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';
const APP = { appId: 12, privateKey: { env: 'APP_KEY' } };
const parse = (raw: unknown, env: NodeJS.ProcessEnv = {}) => parseConfig(raw, FILE, env);

describe('compose.requireChecks', () => {
  it('requires nothing by default', () => {
    expect(parse({}).repositories[0]!.compose.requireChecks).toEqual([]);
  });

  it('gives each repository the top-level list unless it has its own', () => {
    const config = parse({
      compose: { requireChecks: ['ci/build'] },
      repositories: [{ name: 'acme/api' }, { name: 'acme/core', compose: { requireChecks: [] } }, { name: 'acme/web', compose: { requireChecks: ['lint', 'e2e'] } }],
      components: [{ name: 'api', repository: 'acme/api', paths: ['**'] }],
    });
    expect(repositoryRulesOf(config).map((r) => [r.name, r.requireChecks])).toEqual([
      ['acme/api', ['ci/build']],
      ['acme/core', []],
      ['acme/web', ['lint', 'e2e']],
    ]);
  });

  it('takes "required" with the GitHub App configured', () => {
    expect(parse({ github: APP, compose: { requireChecks: 'required' } }).repositories[0]!.compose.requireChecks).toBe('required');
  });

  it.each<[string, NodeJS.ProcessEnv, string[] | 'required']>([
    ['a comma list', { STAGECRAFT_COMPOSE__REQUIRE_CHECKS: 'ci/build, lint' }, ['ci/build', 'lint']],
    ['one name', { STAGECRAFT_COMPOSE__REQUIRE_CHECKS: 'ci/build' }, ['ci/build']],
    ['the word required', { STAGECRAFT_COMPOSE__REQUIRE_CHECKS: 'required' }, 'required'],
    ['a JSON list', { STAGECRAFT_COMPOSE__REQUIRE_CHECKS: '["ci/build"]' }, ['ci/build']],
  ])('reads %s from the environment', (_name, env, expected) => {
    expect(parse({ github: APP }, env).compose.requireChecks).toEqual(expected);
  });

  it.each<[string, unknown, string[]]>([
    [
      '"required" without the GitHub App',
      { compose: { requireChecks: 'required' } },
      [
        `${FILE}: compose.requireChecks: "required" reads the required status checks of main from branch protection through the GitHub App, which is not configured: set github.appId and github.privateKey, or list the check names instead (requireChecks: [ci/build, lint])`,
      ],
    ],
    [
      '"required" of one repository without the GitHub App',
      { repositories: [{ name: 'acme/api', compose: { requireChecks: 'required' } }, { name: 'acme/core', mainBranch: 'trunk' }], components: [] },
      [
        `${FILE}: repositories.0.compose.requireChecks: "required" reads the required status checks of acme/api main from branch protection through the GitHub App, which is not configured: set github.appId and github.privateKey, or list the check names instead (requireChecks: [ci/build, lint])`,
      ],
    ],
    [
      'a top-level "required" every repository overrides is no problem, an inherited one is',
      { compose: { requireChecks: 'required' }, repositories: [{ name: 'acme/api', compose: { requireChecks: ['ci'] } }, { name: 'acme/core', mainBranch: 'trunk' }] },
      [
        `${FILE}: compose.requireChecks: "required" reads the required status checks of acme/core trunk from branch protection through the GitHub App, which is not configured: set github.appId and github.privateKey, or list the check names instead (requireChecks: [ci/build, lint])`,
      ],
    ],
    [
      'one check name instead of a list',
      { compose: { requireChecks: 'ci/build' } },
      [`${FILE}: compose.requireChecks: expected a list of check names like [ci/build, lint] (check runs or commit statuses), or "required" for the required status checks of the main branch`],
    ],
    ['an empty name', { compose: { requireChecks: ['ci', ''] } }, [`${FILE}: compose.requireChecks.1: expected a check name, got an empty one`]],
    ['a name twice', { compose: { requireChecks: ['ci', 'lint', 'ci'] } }, [`${FILE}: compose.requireChecks.2: "ci" is listed twice: list each check once`]],
    [
      "Stagecraft's own check run",
      { compose: { requireChecks: ['ci/build', 'stagecraft/staging'] }, repositories: [{ name: 'acme/api', compose: { requireChecks: ['deploy-check'] } }], github: { checkName: 'deploy-check' } },
      [`${FILE}: repositories.0.compose.requireChecks.0: "deploy-check" is Stagecraft's own check run (github.checkName), which a PR gets only once it is staged: requiring it would keep every PR out; remove it`],
    ],
    [
      '"required" inside a longer list',
      { github: APP, compose: { requireChecks: ['ci', 'required'] } },
      [`${FILE}: compose.requireChecks.1: "required" means the branch's required checks: write requireChecks: required instead of listing it`],
    ],
  ])('explains %s', (_name, raw, expected) => {
    expect(problemsOf(() => parse(raw))).toEqual(expected);
  });
});
