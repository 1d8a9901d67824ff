import { parseConfig } from './parse-config.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';

describe('environments: releases and promotion', () => {
  it('refuses auto together with approval, naming the field', () => {
    const problems = problemsOf(() => parseConfig({ environments: { staging: { auto: true }, production: { auto: true, approval: true } } }, FILE, {}));
    expect(problems).toEqual([
      `${FILE}: environments.production.approval: approval: true cannot go with auto: true (cycles for changes would deploy here without anyone approving): set auto: false to promote releases here, or approval: false`,
    ]);
  });

  it('gives production promotion defaults', () => {
    const production = parseConfig({}, FILE, {}).environments['production'];
    expect(production).toMatchObject({ auto: false, approval: true, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 });
  });

  it('reads deny windows with their time zone', () => {
    const config = parseConfig(
      { environments: { staging: { auto: true }, production: { approval: true, approvals: 2, denyWindows: [{ from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Europe/Berlin' }] } } },
      FILE,
      {},
    );
    expect(config.environments['production']?.denyWindows).toEqual([{ from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Europe/Berlin' }]);
    expect(config.environments['production']?.approvals).toBe(2);
  });

  it.each([
    ['a bad time zone', { from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Mars/Olympus' }, 'environments.production.denyWindows.0.timeZone: expected an IANA time zone like "Europe/Berlin" or "UTC"'],
    ['a bad time', { from: 'Friday 4pm', to: 'Mon 08:00' }, 'environments.production.denyWindows.0.from: expected a day and a time like "Fri 16:00"'],
  ])('refuses %s', (_name, window, problem) => {
    const problems = problemsOf(() => parseConfig({ environments: { staging: { auto: true }, production: { approval: true, denyWindows: [window] } } }, FILE, {}));
    expect(problems).toEqual([`${FILE}: ${problem}`]);
  });

  it('refuses promoting from an environment that does not exist', () => {
    const problems = problemsOf(() => parseConfig({ environments: { staging: { auto: true }, production: { approval: true, from: 'qa' } } }, FILE, {}));
    expect(problems).toEqual([`${FILE}: environments.production.from: no environment "qa" to promote releases from: name one of staging, production`]);
  });
});
