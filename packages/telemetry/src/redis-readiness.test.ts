import { describe, expect, it } from '@jest/globals';
import { redisReadiness } from './redis-readiness.js';

describe('redisReadiness', () => {
  it.each<[string, () => Promise<string>, { ok: boolean; detail: string | RegExp }]>([
    ['a PONG', () => Promise.resolve('PONG'), { ok: true, detail: 'PONG' }],
    ['another answer', () => Promise.resolve('LOADING'), { ok: false, detail: 'LOADING' }],
    ['a refused connection', () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')), { ok: false, detail: /ECONNREFUSED/ }],
    ['no answer in time', () => new Promise<string>(() => undefined), { ok: false, detail: /no PONG within 50 ms/ }],
  ])('reads %s', async (_name, ping, expected) => {
    const report = await redisReadiness({ ping }, 50)();
    expect(report.ok).toBe(expected.ok);
    if (typeof expected.detail === 'string') expect(report.detail).toBe(expected.detail);
    else expect(report.detail).toMatch(expected.detail);
  });
});
