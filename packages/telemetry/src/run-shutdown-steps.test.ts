import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';
import { runShutdownSteps, type ShutdownStep } from './run-shutdown-steps.js';

function capture() {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      records.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ app: 'test', level: 'debug', destination }), records };
}

const never = () => new Promise<void>(() => undefined);

describe('runShutdownSteps', () => {
  it.each<[string, Array<'ok' | 'throws' | 'rejects' | 'hangs'>, 0 | 1, string[]]>([
    ['every step finishing', ['ok', 'ok', 'ok'], 0, ['s0', 's1', 's2']],
    ['a step that rejects', ['ok', 'rejects', 'ok'], 0, ['s0', 's1', 's2']],
    ['a step that throws before returning a promise', ['throws', 'ok'], 0, ['s0', 's1']],
    ['a step that outlives the grace', ['ok', 'hangs', 'ok'], 1, ['s0', 's1']],
  ])('with %s', async (_name, kinds, code, ran) => {
    const { logger, records } = capture();
    const started: string[] = [];
    const steps: ShutdownStep[] = kinds.map((kind, i) => ({
      name: `s${i}`,
      run: () => {
        started.push(`s${i}`);
        if (kind === 'throws') throw new Error('boom');
        if (kind === 'rejects') return Promise.reject(new Error('boom'));
        if (kind === 'hangs') return never();
        return Promise.resolve();
      },
    }));
    expect(await runShutdownSteps({ logger, graceMs: 150, steps })).toBe(code);
    expect(started).toEqual(ran);
    const failedStep = kinds.findIndex((k) => k === 'throws' || k === 'rejects');
    if (failedStep >= 0) expect(records).toContainEqual(expect.objectContaining({ msg: 'shutdown step failed', step: `s${failedStep}`, err: 'boom' }));
    if (code === 1) expect(records).toContainEqual(expect.objectContaining({ msg: 'shutdown grace exceeded, step did not finish', step: 's1' }));
  });

  it('runs the steps one after another', async () => {
    const { logger } = capture();
    const events: string[] = [];
    const step = (name: string): ShutdownStep => ({
      name,
      run: async () => {
        events.push(`${name} start`);
        await new Promise((r) => setTimeout(r, 10));
        events.push(`${name} end`);
      },
    });
    await runShutdownSteps({ logger, graceMs: 1000, steps: [step('a'), step('b')] });
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('gives a later step only what is left of the grace', async () => {
    const { logger } = capture();
    const finished: string[] = [];
    const step = (name: string): ShutdownStep => ({
      name,
      run: async () => {
        await new Promise((r) => setTimeout(r, 80));
        finished.push(name);
      },
    });
    // Each step alone fits in the grace; the second does not fit in what the first left.
    expect(await runShutdownSteps({ logger, graceMs: 120, steps: [step('first'), step('second')] })).toBe(1);
    expect(finished).toEqual(['first']);
  });
});
