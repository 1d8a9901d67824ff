import { formatDuration } from '../format-duration.js';
import type { PendingCycle, PolicySettings } from '../types.js';

/**
 * Why a pending cycle starts now, by what it was waiting for: the start of every cycle's reason
 * (waitReason says why one waits).
 */
export function startReason(p: Pick<PendingCycle, 'changes' | 'waitingFor' | 'trigger'>, s: Pick<PolicySettings, 'settleMs' | 'settleMaxMs' | 'throttleMs'>): string {
  const changes = `${p.changes} change${p.changes === 1 ? '' : 's'}`;
  switch (p.waitingFor) {
    case 'settle':
      return `settled: ${changes}, none in the last ${formatDuration(s.settleMs)}`;
    case 'settle-cap':
      return `settle cap: ${changes} over ${formatDuration(s.settleMaxMs)}`;
    case 'throttle':
      return `throttle passed: ${changes} waited ${formatDuration(s.throttleMs)} after the last cycle`;
    case 'running-cycle':
      return `${changes} waited for the running cycle`;
    case 'now':
      return `${p.trigger} now`;
  }
}
