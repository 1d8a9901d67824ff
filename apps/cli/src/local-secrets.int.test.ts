import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SECRET_FILES, readLocalSecret, writeLocalSecret } from '@stagecraft/launcher';
import { resolveDashboardToken } from './status/dashboard-token.js';

describe('local secrets', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'stagecraft-cli-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('writes the file for its owner only, in a directory it creates', () => {
    const path = writeLocalSecret(cwd, LOCAL_SECRET_FILES.dashboardToken, 's3cret');
    expect(path).toBe(join(cwd, '.stagecraft', 'dashboard-token'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readLocalSecret(cwd, LOCAL_SECRET_FILES.dashboardToken)).toBe('s3cret');
  });

  it('tightens the mode of a file that was already there', () => {
    writeLocalSecret(cwd, LOCAL_SECRET_FILES.webhookSecret, 'old');
    writeFileSync(join(cwd, LOCAL_SECRET_FILES.webhookSecret), 'old\n', { mode: 0o644 });
    const path = writeLocalSecret(cwd, LOCAL_SECRET_FILES.webhookSecret, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readLocalSecret(cwd, LOCAL_SECRET_FILES.webhookSecret)).toBe('new');
  });

  it.each([
    ['the flag', 'flag', { STAGECRAFT_DASHBOARD_TOKEN: 'env' }, true, 'flag'],
    ['the environment', null, { STAGECRAFT_DASHBOARD_TOKEN: 'env' }, true, 'env'],
    ['the file', null, {}, true, 'file'],
    ['the file when the variable is empty', null, { STAGECRAFT_DASHBOARD_TOKEN: '' }, true, 'file'],
  ])('takes the dashboard token from %s first', (_, flag, env, withFile, expected) => {
    if (withFile) writeLocalSecret(cwd, LOCAL_SECRET_FILES.dashboardToken, 'file');
    expect(resolveDashboardToken(flag, env, cwd)).toBe(expected);
  });

  it('says where a token can come from when there is none', () => {
    expect(() => resolveDashboardToken(null, {}, cwd)).toThrow(
      'no dashboard token: pass --token, set STAGECRAFT_DASHBOARD_TOKEN, or run this where `stagecraft start` wrote .stagecraft/dashboard-token',
    );
  });
});
