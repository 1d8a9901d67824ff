import { describe, expect, it } from '@jest/globals';
import { logLabel } from './log-label.js';

describe('logLabel', () => {
  it.each([
    ['deploy', 10, null, 'deploy     │ '],
    ['test-kernel', 10, null, 'test-kernel │ '],
    ['ingress', 8, 0, '\u001b[36mingress \u001b[39m │ '],
    ['deploy#2', 8, 11, '\u001b[35mdeploy#2\u001b[39m │ '],
  ])('%s, width %d, colour %s', (name, width, color, expected) => {
    expect(logLabel(name, width, color)).toBe(expected);
  });
});
