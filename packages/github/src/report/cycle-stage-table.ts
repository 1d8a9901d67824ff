import { formatDuration } from '@stagecraft/policy';
import type { CycleRecord } from '@stagecraft/engine';
import { cycleStages } from '@stagecraft/engine';
import { flakyStagesOf } from './flaky-stages.js';

const ICON: Record<string, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️', cancelled: '⛔', running: '⏳', waiting: '·' };

/** The cycle's stages as a Markdown table: status, duration and what each said. */
export function cycleStageTable(record: CycleRecord, now: number): string {
  const rows = cycleStages(record.kind).map((stage) => {
    const result = record.stages.find((s) => s.stage === stage);
    if (result) {
      const status = flakyStagesOf({ stages: [result] }).length ? '⚠️ flaky, passed on the re-run' : `${ICON[result.status]} ${result.status}`;
      return `| ${stage} | ${status} | ${formatDuration(result.finishedAt - result.startedAt)} | ${cell(result.summary)} |`;
    }
    if (record.runningStage?.stage === stage) return `| ${stage} | ${ICON['running']} running | ${formatDuration(now - record.runningStage.startedAt)} | |`;
    return `| ${stage} | ${ICON['waiting']} ${record.state === 'running' ? 'waiting' : 'not run'} | | |`;
  });
  return ['| Stage | Status | Duration | Result |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').slice(0, 200);
}
