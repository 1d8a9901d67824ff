import type { DashboardClient } from '../status/dashboard-client.js';
import { describeNext, formatDuration } from '@stagecraft/policy';
import { formatClock } from '../status/format-clock.js';
import { stageLine } from '../status/stage-line.js';
import type { CycleRecord } from '../status/status-types.js';

export interface FollowCycleOptions {
  /** Cycles that existed before the demo's webhooks: not the one to follow. */
  baseline: ReadonlySet<string>;
  print: (line: string) => void;
  deadline: number;
  pollMs?: number;
}

/**
 * Waits for the first new cycle, prints each stage as it finishes and the result, and returns
 * the finished cycle. A cycle cancelled by a later change is reported and the one that replaces
 * it is followed instead. null when the deadline passes first.
 */
export async function followCycle(client: DashboardClient, options: FollowCycleOptions): Promise<CycleRecord | null> {
  const { baseline, print, deadline, pollMs = 300 } = options;
  const done = new Set<string>();
  const printedStages = new Map<string, number>();
  let announcedPending: string | null = null;

  while (Date.now() < deadline) {
    const fresh = (await client.cycles(null, 50)).filter((c) => !baseline.has(c.id) && !done.has(c.id)).reverse();
    const cycle = fresh[0];
    if (cycle === undefined) {
      const next = (await client.environments()).find((e) => e.explanation.next !== null)?.explanation;
      if (next?.next && next.next.id !== announcedPending) {
        announcedPending = next.next.id;
        const now = Date.now();
        print(`next cycle ${describeNext(next, now, (t) => formatClock(t, now))} — changes that arrive meanwhile join it`);
      }
    } else {
      if (!printedStages.has(cycle.id)) {
        printedStages.set(cycle.id, 0);
        const prs = cycle.prs.length ? ` with PR ${cycle.prs.map((p) => `#${p.number}`).join(', ')}` : '';
        print(`cycle ${cycle.id} started: ${cycle.kind}${prs} — ${cycle.reason}`);
      }
      const shown = printedStages.get(cycle.id)!;
      for (const stage of cycle.stages.slice(shown)) print(`  ${stageLine(stage)}`);
      printedStages.set(cycle.id, cycle.stages.length);
      if (cycle.state !== 'running') {
        done.add(cycle.id);
        print(resultLine(cycle));
        if (cycle.state !== 'cancelled') return cycle;
      }
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return null;
}

export function resultLine(c: CycleRecord): string {
  const took = c.finishedAt !== null ? ` in ${formatDuration(c.finishedAt - c.startedAt)}` : '';
  switch (c.state) {
    case 'succeeded':
      return `cycle ${c.id} succeeded${took}: ${c.env} now runs ${c.stagingSha?.slice(0, 7) ?? 'the staging commit'} (main ${c.mainSha?.slice(0, 7) ?? '?'}${c.prs.map((p) => ` + #${p.number}`).join('')})`;
    case 'cancelled':
      return `cycle ${c.id} was cancelled${took}: ${c.cancelReason ?? 'no reason recorded'} — following the one that replaces it`;
    default: {
      const failed = c.stages.find((s) => s.status === 'failed');
      return `cycle ${c.id} ${c.state}${took}${failed ? ` in ${failed.stage}: ${failed.summary}` : ''} — \`stagecraft status --cycle ${c.id}\` shows the output`;
    }
  }
}
