import { describe, expect, it } from '@jest/globals';
import { buildJobName } from './build-job-name.js';

describe('buildJobName', () => {
  it.each([
    ['a short name', 'api', 'staging-7', 1, 'stagecraft-build-api-staging-7-1'],
    ['characters a name may not have', 'api', 'Staging_7', 2, 'stagecraft-build-api-staging-7-2'],
  ])('%s', (_name, component, cycleId, attempt, expected) => {
    expect(buildJobName(component, cycleId, attempt)).toBe(expected);
  });

  it('shortens a long name to 63 characters, keeping it unique with a hash', () => {
    const a = buildJobName('a-very-long-component-name-for-the-payments-gateway', 'production-eu-west-1234', 1);
    const b = buildJobName('a-very-long-component-name-for-the-payments-gateway', 'production-eu-west-1235', 1);
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^stagecraft-build-a-very-long-component-name-for-the-pa-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});
