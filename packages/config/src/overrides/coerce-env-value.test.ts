import { describe, expect, it } from '@jest/globals';
import type { ValueKind } from '../schema/accepted-kinds.js';
import { coerceEnvValue } from './coerce-env-value.js';

describe('coerceEnvValue', () => {
  it.each<[string, ValueKind[], unknown]>([
    ['42', ['number'], 42],
    ['-1.5', ['number'], -1.5],
    ['forty', ['number'], 'forty'],
    ['', ['number'], ''],
    ['42', ['string'], '42'],
    ['5m', ['string', 'number'], '5m'],
    ['true', ['boolean'], true],
    ['YES', ['boolean'], true],
    ['0', ['boolean'], false],
    ['off', ['boolean'], false],
    ['maybe', ['boolean'], 'maybe'],
    ['', ['string', 'null'], null],
    ['null', ['number', 'null'], null],
    ['a,b , c', ['string-list'], ['a', 'b', 'c']],
    ['', ['string-list'], []],
    ['["a","b"]', ['string-list'], ['a', 'b']],
    ['{"env":"X"}', ['mapping'], { env: 'X' }],
    ['  [1, 2]', ['list'], [1, 2]],
    ['{stagecraft}', ['string'], '{stagecraft}'],
    ['[x]', ['string', 'null'], '[x]'],
  ])('%p for %p → %p', (text, kinds, value) => {
    expect(coerceEnvValue(text, new Set(kinds))).toEqual({ value });
  });

  it.each(['[a', '{env: X}'])('reports %p as invalid JSON', (text) => {
    expect(coerceEnvValue(text, new Set<ValueKind>(['string-list']))).toEqual({ error: expect.stringMatching(/^not valid JSON \(/) });
  });
});
