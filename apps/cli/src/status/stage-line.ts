import { formatDuration } from '@stagecraft/policy';
import type { StageRecord } from './status-types.js';

const MARKS: Record<string, string> = { succeeded: '✓', failed: '✗', skipped: '–', cancelled: '⊘' };

/** `✓ build        succeeded  1m 05s  built localhost/demo-api:3f2a…` */
export function stageLine(stage: StageRecord): string {
  const attempt = stage.attempt > 1 ? ` (attempt ${stage.attempt})` : '';
  return [
    MARKS[stage.status] ?? '?',
    stage.stage.padEnd(11),
    stage.status.padEnd(9),
    formatDuration(stage.finishedAt - stage.startedAt).padEnd(7),
    `${stage.summary}${attempt}`,
  ]
    .join(' ')
    .trimEnd();
}
