import { InvalidEventLineError } from './errors/invalid-event-line-error.js';
import type { PolicyEvent } from './types.js';

const TYPES = new Set(['change', 'command', 'timer-fired', 'cycle-finished', 'idle-tick', 'updates-found']);

export interface RecordedEvent {
  at: number;
  event: PolicyEvent;
}

/** Reads a recorded event history, one JSON object per line. */
export function parseEventsJsonl(text: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InvalidEventLineError(index + 1, `not JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null) throw new InvalidEventLineError(index + 1, 'not an object');
    const { at, event } = value as { at?: unknown; event?: { type?: unknown } };
    const time = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : NaN;
    if (!Number.isFinite(time)) throw new InvalidEventLineError(index + 1, `"at" is ${JSON.stringify(at)}, not a time`);
    if (!event || typeof event !== 'object' || !TYPES.has(String(event.type))) {
      throw new InvalidEventLineError(index + 1, `"event.type" is ${JSON.stringify(event?.type)}`);
    }
    events.push({ at: time, event: withDefaults(event as Partial<PolicyEvent> & { type: PolicyEvent['type'] }) });
  });
  return events;
}

/** Recorded histories may leave out what the policy can assume. */
function withDefaults(event: Partial<PolicyEvent> & { type: PolicyEvent['type'] }): PolicyEvent {
  const e = event as Record<string, unknown>;
  const defaults: Record<PolicyEvent['type'], Record<string, unknown>> = {
    change: { source: 'push', sha: '', repo: null, pr: null, trusted: true, components: 'all', rebuild: e['components'] ?? 'all' },
    command: { by: 'maintainer', role: 'maintainer', repo: null, pr: null, sha: null, prAuthorTrusted: true, isAuthor: false },
    'updates-found': { components: 'all', rebuild: 'all' },
    'timer-fired': {},
    // A recorded finish that does not say otherwise deployed and tested exactly when it succeeded.
    'cycle-finished': { result: 'succeeded', deployed: (e['result'] ?? 'succeeded') === 'succeeded', tested: (e['result'] ?? 'succeeded') === 'succeeded' },
    'idle-tick': {},
  };
  return { ...defaults[event.type], ...e } as PolicyEvent;
}
