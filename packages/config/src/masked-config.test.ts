import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { formatConfig } from './format-config.js';
import { maskedConfig } from './masked-config.js';
import { parseConfig } from './parse-config.js';

const SECRET_ENV = { GITHUB_WEBHOOK_SECRET: 'hook-value-123', PK: 'pk-value-456' };
const config = () =>
  parseConfig(
    {
      github: { privateKey: { env: 'PK' } },
      policy: { settle: '90s', settleMax: '1h30m' },
      stages: { deploy: { command: './deploy.sh', timeout: 1500 } },
      components: [{ name: 'api', paths: ['api/**'] }],
    },
    'stagecraft.yaml',
    SECRET_ENV,
  );

describe('maskedConfig', () => {
  it.each([
    ['set', (m: any) => m.github.webhookSecret, '***'],
    ['set from another variable', (m: any) => m.github.privateKey, '***'],
    ['unset', (m: any) => m.apps.dashboard.token, '(unset)'],
    ['a duration, in ms', (m: any) => m.policy.settleMax, 5_400_000],
    ['a plain value', (m: any) => m.stages.deploy.command, './deploy.sh'],
  ])('gives a secret or value that is %s', (_name, pick, expected) => {
    expect(pick(maskedConfig(config()))).toEqual(expected);
  });

  it.each([
    ['JSON.stringify', (v: unknown) => JSON.stringify(v)],
    ['util.inspect', (v: unknown) => inspect(v, { depth: null })],
    ['formatConfig', () => formatConfig(config())],
  ])('holds no secret value when printed with %s', (_name, print) => {
    const text = print(maskedConfig(config()));
    expect(text).not.toContain('hook-value-123');
    expect(text).not.toContain('pk-value-456');
  });

  it('masks the password of every URL it holds', () => {
    const withUrls = parseConfig(
      {
        redis: { url: 'redis://user:s3cret@host:6379/0' },
        github: { baseUrl: 'https://bot:s3cret@github.example.com/api/v3' },
        stages: {
          drain: {
            executor: 'http',
            pauseUrl: 'https://ops:s3cret@api.staging.example.com/admin/pause',
            statusUrl: 'https://api.staging.example.com/admin/status',
            until: { path: '$.pending', value: 0 },
          },
        },
      },
      'stagecraft.yaml',
      SECRET_ENV,
    );
    const masked = maskedConfig(withUrls) as any;
    expect(masked.redis.url).toBe('redis://user:***@host:6379/0');
    expect(masked.github.baseUrl).toBe('https://bot:***@github.example.com/api/v3');
    expect(masked.stages.drain.pauseUrl).toBe('https://ops:***@api.staging.example.com/admin/pause');
    expect(masked.stages.drain.statusUrl).toBe('https://api.staging.example.com/admin/status');
    expect(formatConfig(withUrls)).not.toContain('s3cret');
  });

  it('is plain data that survives a JSON round trip', () => {
    const masked = maskedConfig(config());
    expect(JSON.parse(JSON.stringify(masked))).toEqual(masked);
  });
});

describe('formatConfig', () => {
  it.each([
    ['settle', (y: any) => y.policy.settle, '1m30s'],
    ['settleMax', (y: any) => y.policy.settleMax, '1h30m'],
    ['a stage timeout in ms', (y: any) => y.stages.deploy.timeout, '1.5s'],
    ['a default stage timeout', (y: any) => y.stages.testKernel.timeout, '2h'],
    ['a worker duration', (y: any) => y.workers.lockDuration, '30s'],
    ['a count that is not a duration', (y: any) => y.policy.maxRestarts, 1],
    ['a port that is not a duration', (y: any) => y.apps.ingress.port, 3000],
    ['batchMaxWaitMs, a number by name', (y: any) => y.apps.ingress.batchMaxWaitMs, 2],
    ['a masked secret', (y: any) => y.github.webhookSecret, '***'],
    ['an unset secret', (y: any) => y.apps.dashboard.token, '(unset)'],
    ['a component', (y: any) => y.components[0].deployments, ['api']],
  ])('writes %s as stagecraft.yaml would', (_name, pick, expected) => {
    expect(pick(parse(formatConfig(config())))).toEqual(expected);
  });

  it('writes YAML that loads back into the same config', () => {
    const text = formatConfig(config());
    const data = parse(text) as { github: Record<string, unknown>; apps: { dashboard: Record<string, unknown> } };
    // Masked secrets are not valid config; put their sources back.
    data.github['webhookSecret'] = { env: 'GITHUB_WEBHOOK_SECRET' };
    data.github['privateKey'] = { env: 'PK' };
    data.apps.dashboard['token'] = { env: 'STAGECRAFT_DASHBOARD_TOKEN' };
    expect(maskedConfig(parseConfig(data, 'printed.yaml', SECRET_ENV))).toEqual(maskedConfig(config()));
  });
});
