import { describe, expect, it } from '@jest/globals';
import { parseConfig } from './parse-config.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';
const parse = (raw: unknown) => parseConfig(raw, FILE, {});

describe('repositories', () => {
  it('reads github.repository as a one-entry list, with the top-level compose rules', () => {
    const config = parse({ github: { repository: 'acme/api', mainBranch: 'trunk' }, compose: { skipLabel: 'no-staging' }, components: [{ name: 'api', paths: ['**'] }] });
    expect(config.repositories).toEqual([{ name: 'acme/api', mainBranch: 'trunk', stagingBranch: 'staging', compose: { skipLabel: 'no-staging', maxAge: 1_209_600_000, requireChecks: [] } }]);
    expect(config.components[0]!.repository).toBe('acme/api');
  });

  it('takes several repositories, each with its own compose rules and branches, components naming theirs in any case', () => {
    const config = parse({
      repositories: [{ name: 'kernelci/kernelci-core' }, { name: 'kernelci/kernelci-api', mainBranch: 'main', stagingBranch: 'staging.kernelci.org', compose: { maxAge: '3d' } }],
      components: [
        { name: 'api', repository: 'KernelCI/kernelci-api', paths: ['api/**'] },
        { name: 'core', repository: 'kernelci/kernelci-core', paths: ['**'] },
      ],
    });
    expect(config.repositories.map((r) => [r.name, r.stagingBranch, r.compose.maxAge])).toEqual([
      ['kernelci/kernelci-core', 'staging', 1_209_600_000],
      ['kernelci/kernelci-api', 'staging.kernelci.org', 3 * 86_400_000],
    ]);
    expect(config.components.map((c) => c.repository)).toEqual(['kernelci/kernelci-api', 'kernelci/kernelci-core']);
  });

  it.each<[string, unknown, string[]]>([
    [
      'a component naming an unknown repository',
      { repositories: [{ name: 'acme/api' }, { name: 'acme/core' }], components: [{ name: 'web', repository: 'acme/apl', paths: ['**'] }] },
      [`${FILE}: components.0.repository: "acme/apl" is not a configured repository (did you mean "acme/api"?): add it to repositories: or use one of acme/api, acme/core`],
    ],
    [
      'a component without a repository when there are several',
      { repositories: [{ name: 'acme/api' }, { name: 'acme/core' }], components: [{ name: 'web', paths: ['**'] }] },
      [`${FILE}: components.0.repository: 2 repositories are configured: say which one holds component "web" (one of acme/api, acme/core)`],
    ],
    [
      'two repositories with one name',
      { repositories: [{ name: 'acme/api' }, { name: 'ACME/api' }] },
      [`${FILE}: repositories.1.name: "ACME/api" is repositories.0 already (GitHub names ignore case): list each repository once`],
    ],
    [
      'both forms at once',
      { github: { repository: 'acme/api' }, repositories: [{ name: 'acme/api' }] },
      [`${FILE}: github.repository: repositories: is given too: say it there (repositories[].name) and remove github.repository`],
    ],
    ['an empty list', { repositories: [] }, [`${FILE}: repositories: expected at least one repository, like [{ name: "octo-org/service" }]`]],
    ['a bad name', { repositories: [{ name: 'api' }] }, [`${FILE}: repositories.0.name: expected "owner/name", like "octo-org/service"`]],
  ])('explains %s', (_name, raw, expected) => {
    expect(problemsOf(() => parse(raw))).toEqual(expected);
  });
});
