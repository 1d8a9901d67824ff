import { decide } from './decide.js';
import { initialEnvState } from './initial-env-state.js';
import type { RecordedEvent } from './parse-events-jsonl.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { PolicyEvent, PolicySettings } from './types.js';

export interface SimulationInput {
  settings: PolicySettings;
  env: string;
  events: RecordedEvent[];
  /** How long a cycle runs when the history does not say (no cycle-finished for it). */
  cycleDurationMs: number;
  /** How long a cancelled cycle takes to stop. */
  cancelDelayMs?: number;
}

interface Queued {
  at: number;
  order: number;
  event: PolicyEvent;
  /** A timer superseded by a later schedule of the same cycle is dropped. */
  timerAt?: number;
}

/**
 * Replays a recorded history through decide() on a virtual clock, adding the events the
 * scheduler's own actions would cause: timers firing, cycles finishing, idle checks answering.
 */
export function simulate(input: SimulationInput): TimelineEntry[] {
  const { settings } = input;
  let state = initialEnvState(input.env);
  const timeline: TimelineEntry[] = [];
  const queue: Queued[] = [];
  let order = 0;
  const push = (at: number, event: PolicyEvent, timerAt?: number) => queue.push({ at, order: order++, event, ...(timerAt !== undefined ? { timerAt } : {}) });
  const explicitFinish = new Set(input.events.flatMap(({ event }) => (event.type === 'cycle-finished' ? [event.cycleId] : [])));
  const timers = new Map<string, number>();
  for (const { at, event } of input.events) push(at, event);

  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || a.order - b.order);
    const { at, event, timerAt } = queue.shift()!;
    if (event.type === 'timer-fired' && timers.get(event.cycleId) !== timerAt) continue;
    const finishing = event.type === 'cycle-finished' && state.running?.id === event.cycleId ? state.running : null;
    const decision = decide(state, event, at, settings);
    state = decision.state;
    if (finishing && event.type === 'cycle-finished' && event.result !== 'cancelled') {
      timeline.push({ at, cycleId: finishing.id, what: 'finished', kind: finishing.kind, trigger: finishing.trigger, result: event.result, detail: event.result });
    }
    for (const action of decision.actions) {
      switch (action.type) {
        case 'schedule-timer': {
          timers.set(action.cycleId, action.runAt);
          push(action.runAt, { type: 'timer-fired', cycleId: action.cycleId }, action.runAt);
          const last = timeline.at(-1);
          const entry: TimelineEntry = { at, cycleId: action.cycleId, what: 'scheduled', detail: action.reason };
          // A burst moves the same timer again and again: keep only its latest position.
          if (last?.what === 'scheduled' && last.cycleId === action.cycleId) timeline[timeline.length - 1] = entry;
          else timeline.push(entry);
          break;
        }
        case 'start-cycle':
          timeline.push({ at, cycleId: action.cycle.id, what: 'started', kind: action.cycle.kind, trigger: action.cycle.trigger, detail: action.cycle.reason });
          if (!explicitFinish.has(action.cycle.id)) {
            push(at + input.cycleDurationMs, { type: 'cycle-finished', cycleId: action.cycle.id, result: 'succeeded', deployed: true, tested: true });
          }
          break;
        case 'cancel-cycle':
          timeline.push({ at, cycleId: action.cycleId, what: 'cancelled', detail: action.reason });
          push(at + (input.cancelDelayMs ?? 1000), { type: 'cycle-finished', cycleId: action.cycleId, result: 'cancelled', deployed: false, tested: false });
          break;
        case 'check-updates':
          push(at, { type: 'updates-found', components: 'all', rebuild: 'all' });
          break;
        case 'refuse-command':
          timeline.push({ at, cycleId: '-', what: 'refused', detail: action.reason });
          break;
        case 'ignore-change':
          timeline.push({ at, cycleId: '-', what: 'ignored', detail: action.reason });
          break;
        case 'skip-pr':
          timeline.push({ at, cycleId: '-', what: 'skipped', detail: `PR #${action.pr} by ${action.by}` });
          break;
        case 'unskip-pr':
          break;
        case 'approve-head':
          timeline.push({ at, cycleId: '-', what: 'approved', detail: `PR #${action.pr} at ${action.sha.slice(0, 7)} by ${action.by}` });
          break;
      }
    }
  }
  return timeline;
}
