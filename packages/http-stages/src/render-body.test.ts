import { describe, expect, it } from '@jest/globals';
import { renderBody } from './render-body.js';
import { renderTemplate } from './render-template.js';
import type { TemplateValues } from './template-values.js';

const VALUES: TemplateValues = {
  sha: 'abcdef1234567',
  shortSha: 'abcdef1',
  mainSha: '0123',
  cycleId: 'staging-7',
  env: 'staging',
  kind: 'full',
  attempt: '1',
  components: ['api', 'web worker'],
};

describe('renderTemplate', () => {
  it.each<[string, { url?: boolean }, string]>([
    ['https://x/{{env}}/pause', { url: true }, 'https://x/staging/pause'],
    ['https://x/runs?components={{components}}', { url: true }, 'https://x/runs?components=api%2Cweb%20worker'],
    ['cycle {{ cycleId }} of {{shortSha}}', {}, 'cycle staging-7 of abcdef1'],
    ['{{components}}', {}, 'api,web worker'],
    ['{{unknown}} stays', {}, '{{unknown}} stays'],
    ['{{id}} without an id', {}, '{{id}} without an id'],
  ])('%s', (template, options, expected) => {
    expect(renderTemplate(template, VALUES, options)).toBe(expected);
  });

  it('fills {{id}} when there is one', () => {
    expect(renderTemplate('https://x/runs/{{id}}', { ...VALUES, id: 'a/b' }, { url: true })).toBe('https://x/runs/a%2Fb');
  });
});

describe('renderBody', () => {
  it.each<[string, unknown, unknown]>([
    ['a whole components list', { components: '{{components}}' }, { components: ['api', 'web worker'] }],
    ['components inside text', { note: 'only {{components}}' }, { note: 'only api,web worker' }],
    ['nested values', { build: { sha: '{{sha}}', tags: ['{{env}}', '{{kind}}'] }, n: 3, ok: true, none: null }, { build: { sha: 'abcdef1234567', tags: ['staging', 'full'] }, n: 3, ok: true, none: null }],
    ['a plain string', '{{cycleId}}', 'staging-7'],
  ])('%s', (_name, body, expected) => {
    expect(renderBody(body, VALUES)).toEqual(expected);
  });
});
