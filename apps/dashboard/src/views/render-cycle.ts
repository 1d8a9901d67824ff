import { formatDuration } from '@stagecraft/policy';
import type { CycleRecord } from '@stagecraft/engine';
import { repositoryRuns } from '../repositories/repository-runs.js';
import { html, type Html } from './html.js';
import { prLabel } from './pr-label.js';
import { renderBisectionTree, renderBisectStep } from './render-bisection.js';

/**
 * One cycle: its heads (per repository when there are several), every stage with its summary,
 * details and the tail of its output. A bisected cycle shows its bisection as a tree; a bisection
 * step links to the failed cycle and shows that tree (`origin`, when it is still recorded).
 */
export function renderCycle(c: CycleRecord, repositories: string[], origin: CycleRecord | null = null): Html {
  return html`<section><h2>${c.id} · ${c.kind} · <span class="st-${c.state}">${c.state}</span></h2>
<p>${c.reason} · trigger ${c.trigger}${c.requestedBy ? ` by ${c.requestedBy}` : ''} · started ${new Date(c.startedAt).toISOString()}${c.finishedAt ? ` · took ${formatDuration(c.finishedAt - c.startedAt)}` : ''}</p>
${repositories.length > 1 ? headsPerRepository(c, repositories) : heads(c, repositories)}
<p>Components ${c.components.join(', ') || 'none'}; rebuilt ${c.rebuild.join(', ') || 'none'}${c.cancelReason ? html`; cancelled: ${c.cancelReason}` : ''}</p></section>
${renderBisectStep(c, repositories)}${renderBisectionTree(c.bisection ? c : origin ?? c, repositories)}
${c.stages.map((s) => html`<section><h2>${s.stage} · <span class="st-${s.status}">${s.status}</span> · ${formatDuration(s.finishedAt - s.startedAt)} · attempt ${s.attempt}</h2>
<p>${s.summary} · <a href="/queues/queue/stage-${s.stage}">job logs in Bull Board</a></p>
${s.details ? html`<pre>${JSON.stringify(s.details, null, 2)}</pre>` : ''}${s.outputTail.length ? html`<pre>${s.outputTail.join('\n')}</pre>` : ''}</section>`)}
${c.runningStage ? html`<section><h2>${c.runningStage.stage} · <span class="st-running">running</span></h2></section>` : ''}`;
}

function heads(c: CycleRecord, repositories: string[]): Html {
  return html`<p>main <code>${c.mainSha ?? '—'}</code><br>staging <code>${c.stagingSha ?? '—'}</code><br>PRs: ${c.prs.map((p) => html`<code>${prLabel(p, repositories)} ${p.sha.slice(0, 7)}</code> `)}${c.prs.length ? '' : 'none'}</p>`;
}

function headsPerRepository(c: CycleRecord, repositories: string[]): Html {
  return html`<table data-testid="cycle-repositories"><tr><th>Repository</th><th>main</th><th>staging</th><th>PRs</th></tr>${repositoryRuns(c, repositories).map(
    (run) =>
      html`<tr data-repository="${run.repository}"><td>${run.repository}</td><td><code>${run.mainSha ?? '—'}</code></td><td><code>${run.stagingSha ?? '—'}</code></td><td>${
        run.prs.length ? run.prs.map((p) => html`<code>${prLabel({ repo: run.repository, number: p.number }, repositories)} ${p.sha.slice(0, 7)}</code> `) : 'none'
      }</td></tr>`,
  )}</table>`;
}
