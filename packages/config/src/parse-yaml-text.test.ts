import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './errors/config-error.js';
import { parseYamlText } from './parse-yaml-text.js';

function problemsOf(text: string): string[] {
  try {
    parseYamlText(text, 'stagecraft.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseYamlText', () => {
  it.each([
    ['an unclosed list', 'policy:\n  settle: 5m\ntrust: { maintainers: [alice\nlog: {}\n', /^stagecraft\.yaml: line \d, column \d+: invalid YAML: /],
    ['bad indentation', 'policy:\n    settle: 5m\n  settleMax: 6m\n', /^stagecraft\.yaml: line 3, column \d+: invalid YAML: /],
    ['a duplicate key', 'log:\n  level: info\nlog:\n  level: debug\n', /^stagecraft\.yaml: line 3, column 1: invalid YAML: .*unique/],
  ])('reports %s with its line', (_name, text, line) => {
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(line);
  });

  it.each([
    ['a mapping', 'policy:\n  settle: 5m\n', { policy: { settle: '5m' } }],
    ['an empty file', '', null],
    ['only comments', '# nothing yet\n', null],
  ])('reads %s', (_name, text, data) => {
    expect(parseYamlText(text, 'stagecraft.yaml')).toEqual(data);
  });
});
