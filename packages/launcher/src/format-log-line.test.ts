import { describe, expect, it } from '@jest/globals';
import { formatLogLine } from './format-log-line.js';

describe('formatLogLine', () => {
  it.each([
    [
      '{"level":30,"time":1700000000000,"pid":12,"hostname":"h","app":"scheduler","msg":"scheduler ready","port":3002,"environments":["staging"]}',
      { text: 'INFO  scheduler ready port=3002 environments=["staging"]', level: 30 },
    ],
    ['{"level":50,"msg":"stage failed","err":"exit 1: no such file","cycleId":"staging-2"}', { text: 'ERROR stage failed err="exit 1: no such file" cycleId=staging-2', level: 50 }],
    ['{"level":35,"msg":"custom"}', { text: 'L35   custom', level: 35 }],
    ['    at Object.<anonymous> (/x/main.js:3:9)', { text: '    at Object.<anonymous> (/x/main.js:3:9)', level: null }],
    ['{"not":"pino"}', { text: '{"not":"pino"}', level: null }],
    ['{broken json', { text: '{broken json', level: null }],
  ])('%s', (line, expected) => {
    expect(formatLogLine(line)).toEqual(expected);
  });
});
