import type { CycleKind, CycleResult, CycleTrigger } from './types.js';

export interface TimelineEntry {
  at: number;
  cycleId: string;
  what: 'scheduled' | 'started' | 'cancelled' | 'finished' | 'refused' | 'ignored' | 'approved' | 'skipped';
  kind?: CycleKind;
  trigger?: CycleTrigger;
  result?: CycleResult;
  detail: string;
}
