import { describe, expect, it } from '@jest/globals';
import { formatTimeline } from './format-timeline.js';
import { parseEventsJsonl } from './parse-events-jsonl.js';
import { simulate } from './simulate.js';
import { InvalidEventLineError } from './errors/invalid-event-line-error.js';
import { defaultSettings } from './test-support/default-settings.js';

const settings = defaultSettings;

const history = (lines: string[]) => parseEventsJsonl(lines.join('\n'));
const run = (lines: string[], cycleDurationMs = 10 * 60_000) =>
  simulate({ settings, env: 'staging', events: history(lines), cycleDurationMs });

describe('simulate', () => {
  it('turns a burst into one cycle, and a later change into a throttled partial one', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `{"at": "2026-11-25T12:00:${String(i % 60).padStart(2, '0')}Z", "event": {"type": "change"}}`);
    lines.push('{"at": "2026-11-25T12:20:00Z", "event": {"type": "change"}}');
    const timeline = run(lines);
    const started = timeline.filter((e) => e.what === 'started');
    expect(started.map((e) => [new Date(e.at).toISOString(), e.kind])).toEqual([
      ['2026-11-25T12:05:49.000Z', 'full'],
      ['2026-11-25T12:45:49.000Z', 'partial'],
    ]);
    expect(started[1]!.detail).toContain('throttle');
  });

  it('shows a restart and the cycle that followed it', () => {
    const timeline = run([
      '{"at": "2026-11-25T06:00:00Z", "event": {"type": "command", "command": "trigger"}}',
      '{"at": "2026-11-25T08:00:00Z", "event": {"type": "change"}}',
      '{"at": "2026-11-25T08:07:00Z", "event": {"type": "change"}}',
      '{"at": "2026-11-25T08:13:00Z", "event": {"type": "change"}}',
    ]);
    expect(timeline.filter((e) => ['started', 'cancelled', 'finished'].includes(e.what)).map((e) => `${e.cycleId} ${e.what}`)).toEqual([
      'staging-1 started',
      'staging-1 finished',
      'staging-2 started',
      'staging-2 cancelled',
      'staging-3 started',
      'staging-3 finished',
      'staging-4 started',
      'staging-4 finished',
    ]);
  });

  it('uses a recorded failure instead of inventing a success', () => {
    const timeline = run([
      '{"at": "2026-11-25T12:00:00Z", "event": {"type": "command", "command": "deploy"}}',
      '{"at": "2026-11-25T12:03:00Z", "event": {"type": "cycle-finished", "cycleId": "staging-1", "result": "failed"}}',
    ]);
    expect(timeline.find((e) => e.what === 'finished')).toMatchObject({ cycleId: 'staging-1', result: 'failed' });
  });

  it('formats one readable line per entry', () => {
    const text = formatTimeline(run(['{"at": "2026-11-25T12:00:00Z", "event": {"type": "change"}}']));
    expect(text.split('\n')[0]).toMatch(/^2026-11-25 12:00:00 {2}staging-1 {2}scheduled .*settle until 12:05:00/);
    expect(text).toMatch(/2026-11-25 12:05:00 {2}staging-1 {2}started {4}full/);
  });
});

describe('parseEventsJsonl', () => {
  it('skips blank and comment lines and accepts epoch ms', () => {
    expect(parseEventsJsonl('# a history\n\n{"at": 1000, "event": {"type": "idle-tick"}}\n')).toEqual([{ at: 1000, event: { type: 'idle-tick' } }]);
  });

  it.each([
    ['not JSON', '{"at": 1, "event":', /line 2: not JSON/],
    ['a bad time', '{"at": "yesterday", "event": {"type": "change"}}', /line 2: "at" is "yesterday"/],
    ['an unknown type', '{"at": 1, "event": {"type": "deploy"}}', /line 2: "event.type" is "deploy"/],
  ])('names the line of %s', (_name, line, message) => {
    const parse = () => parseEventsJsonl(`# header\n${line}`);
    expect(parse).toThrow(InvalidEventLineError);
    expect(parse).toThrow(message);
  });
});
