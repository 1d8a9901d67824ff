import { describe, expect, it } from '@jest/globals';
import { componentsForPaths } from './components-for-paths.js';
import { unionComponents } from './union-components.js';
import { resolveComponentSet } from './resolve-component-set.js';

const components = [
  { name: 'api', paths: ['services/api/**'], configPaths: ['services/api/tests/**', 'config/api.yaml'] },
  { name: 'web', paths: ['services/web/**', '.nvmrc'], configPaths: [] },
];

describe('componentsForPaths', () => {
  it.each([
    ['an image path', ['services/api/src/a.ts'], ['api'], ['api']],
    ['a config path inside the image tree', ['services/api/tests/list.txt'], ['api'], []],
    ['a config path elsewhere', ['config/api.yaml'], ['api'], []],
    ['both components', ['services/api/x.ts', 'services/web/y.ts'], ['api', 'web'], ['api', 'web']],
    ['a dotfile', ['.nvmrc'], ['web'], ['web']],
    ['nothing relevant', ['README.md'], [], []],
    ['no files', [], [], []],
    ['an unknown file list', null, 'all', 'all'],
  ])('%s', (_name, paths, touched, rebuild) => {
    expect(componentsForPaths(paths, components)).toEqual({ components: touched, rebuild });
  });
});

describe('component sets', () => {
  it.each([
    [['a'], ['b'], ['a', 'b']],
    [['b', 'a'], ['a'], ['a', 'b']],
    ['all', ['a'], 'all'],
    [[], 'all', 'all'],
  ] as const)('union of %j and %j', (a, b, expected) => {
    expect(unionComponents(a as never, b as never)).toEqual(expected);
  });

  it('resolves all to every configured name, in config order', () => {
    expect(resolveComponentSet('all', ['web', 'api'])).toEqual(['web', 'api']);
    expect(resolveComponentSet(['api', 'gone'], ['web', 'api'])).toEqual(['api']);
  });
});
