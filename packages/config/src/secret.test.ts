import { format, inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { SecretNotSetError } from './errors/secret-not-set-error.js';
import { Secret } from './secret.js';

const VALUE = 'hunter2-very-secret';

const renderings: Array<[string, (secret: Secret) => string]> = [
  ['JSON.stringify', (s) => JSON.stringify({ s })],
  ['util.inspect', (s) => inspect({ nested: { s } }, { depth: 10, showHidden: true })],
  ['template literal', (s) => `${s}`],
  ['String()', (s) => String(s)],
  ['concatenation', (s) => 'x' + s],
  ['util.format %s %o %j', (s) => format('%s %o %j', s, s, s)],
];

describe('Secret', () => {
  describe.each(renderings)('printed with %s', (_how, render) => {
    it('shows *** and never the value when set', () => {
      const text = render(new Secret(VALUE, 'env X'));
      expect(text).toContain('***');
      expect(text).not.toContain(VALUE);
    });

    it('shows (unset) when unset', () => {
      expect(render(new Secret(null, 'env X'))).toContain('(unset)');
    });
  });

  it('reveals its value on request', () => {
    expect(new Secret(VALUE, 'env X').reveal()).toBe(VALUE);
  });

  it.each([
    ['unset', null],
    ['empty', ''],
  ])('refuses to reveal when %s, telling which variable to set', (_name, value) => {
    const secret = new Secret(value, 'env GITHUB_WEBHOOK_SECRET');
    expect(secret.isSet).toBe(false);
    expect(() => secret.reveal()).toThrow(SecretNotSetError);
    expect(() => secret.reveal()).toThrow('set GITHUB_WEBHOOK_SECRET');
  });

  it.each([
    [{ TOKEN: 'abc' }, true],
    [{ TOKEN: '' }, false],
    [{}, false],
  ])('fromEnv(%p) is set: %p and names its source', (env, isSet) => {
    const secret = Secret.fromEnv('TOKEN', env);
    expect(secret.isSet).toBe(isSet);
    expect(secret.source).toBe('env TOKEN');
  });
});
