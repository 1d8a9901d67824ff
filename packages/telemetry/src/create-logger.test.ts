import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger({ app: 'test', destination }), lines };
}

describe('createLogger redaction', () => {
  it.each([
    ['a token field', { token: 's3cret-value' }],
    ['a nested secret', { github: { webhookSecret: 's3cret-value' } }],
    ['an authorization header', { req: { headers: { authorization: 'Bearer s3cret-value' } } }],
    ['a webhook signature', { headers: { 'x-hub-signature-256': 'sha256=s3cret-value' } }],
    ['a nested password', { redis: { password: 's3cret-value' } }],
    ['a private key', { app: { privateKey: '-----BEGIN s3cret-value' } }],
    ['a top-level authorization', { authorization: 'token s3cret-value' }],
    ['a nested authorization', { github: { authorization: 'token s3cret-value' } }],
    ['a request signature', { req: { headers: { 'x-hub-signature-256': 'sha256=s3cret-value' } } }],
    ['an authorization header of any object', { response: { headers: { authorization: 'Bearer s3cret-value' } } }],
    ['a signature header of any object', { delivery: { headers: { 'x-hub-signature-256': 'sha256=s3cret-value' } } }],
    ['a nested token', { redis: { token: 's3cret-value' } }],
    ['a nested secret field', { app: { secret: 's3cret-value' } }],
  ])('never prints %s', (_name, obj) => {
    const { logger, lines } = capture();
    logger.info(obj, 'message');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('s3cret-value');
    expect(lines[0]).toContain('***');
  });

  it('keeps ordinary fields and the app name', () => {
    const { logger, lines } = capture();
    logger.info({ cycleId: 'staging-1' }, 'cycle started');
    expect(JSON.parse(lines[0]!)).toMatchObject({ app: 'test', cycleId: 'staging-1', msg: 'cycle started' });
  });
});
