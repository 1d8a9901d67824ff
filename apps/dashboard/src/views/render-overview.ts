import { formatDuration } from '@stagecraft/policy';
import type { CycleRecord, ExcludedPr } from '@stagecraft/engine';
import { describeIgnoredRepository, type IgnoredRepository } from '../repositories/ignored-repositories.js';
import { repositoryRuns } from '../repositories/repository-runs.js';
import { html, type Html } from './html.js';
import type { OverviewModel } from './overview-model.js';
import { prLabel } from './pr-label.js';
import { bisectionVerdictText, renderBisectionTree } from './render-bisection.js';

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '—');
const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');

/** The overview: what runs now, what runs next and why, what each environment has, history, actions. */
export function renderOverview(m: OverviewModel, csrf: string): Html {
  return html`${ignored(m.ignoredRepositories)}
${m.environments.map((e) => html`<section data-env="${e.name}"><h2>${e.name}${e.approval ? ' (needs approval)' : ''}</h2><div class="grid">
<div><h3>Now</h3>${bisecting(e)}${e.running ? runningCycle(e.running, m.now) : html`<p class="muted" data-testid="idle">No cycle running.</p>`}</div>
<div><h3>Next</h3>${nextCycle(e)}</div></div>
<h3>On ${e.name}</h3>${m.repositories.length > 1 ? deployedPerRepository(e.deployed, m.repositories) : deployedOn(e.deployed)}
${e.bisected ? renderBisectionTree(e.bisected, m.repositories) : ''}
</section>`)}
${exclusions(m.exclusions, m.repositories)}
<section data-testid="actions"><h2>Actions</h2><p class="muted">The same as a maintainer's PR comment, under the same rules: they apply to every environment that follows changes (${m.environments.filter((e) => !e.approval).map((e) => e.name).join(', ')}).</p>
<form class="inline" method="post" action="/actions/deploy"><input type="hidden" name="_csrf" value="${csrf}"><button data-testid="deploy-now">Deploy now (partial)</button></form>
<form class="inline" method="post" action="/actions/trigger"><input type="hidden" name="_csrf" value="${csrf}"><button data-testid="trigger-full">Trigger full cycle</button></form></section>
<section class="notice" data-testid="approvals"><h2>Production approvals</h2>${
    m.approvals.length ? m.approvals.map((a) => approvals(a, csrf)) : html`<p class="muted">No environment is deployed by promotion (approval: true).</p>`
  }</section>
<section><h2>History</h2>${history(m.history, m.repositories)}</section>
<section><h2>Dashboard actions</h2>${
    m.audit.length
      ? html`<table><tr><th>When</th><th>Who</th><th>Action</th><th>Result</th></tr>${m.audit.map((a) => html`<tr><td>${time(a.at)}</td><td>${a.by}</td><td>${a.action}</td><td>${a.result}</td></tr>`)}</table>`
      : html`<p class="muted">None yet.</p>`
  }</section>`;
}

function approvals(a: OverviewModel['approvals'][number], csrf: string): Html {
  const action = (command: 'approve' | 'reject', id: string) =>
    html`<form class="inline" method="post" action="/actions/${command}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="env" value="${a.env}"><input type="hidden" name="request" value="${id}"><button data-testid="${command}-${id}">${command === 'approve' ? 'Approve' : 'Reject'}</button></form>`;
  return html`<h3>${a.env}</h3>${
    a.waiting.length
      ? html`<table data-testid="waiting-${a.env}"><tr><th>Request</th><th>Release</th><th>Asked by</th><th>Approvals</th><th>Expires</th><th></th></tr>${a.waiting.map(
          (p) =>
            html`<tr><td>${p.id}<br><span class="muted">${p.action}, ${p.state}${p.deployAt ? `, deploys ${time(p.deployAt)}` : ''}</span></td><td>${p.releaseId}</td><td>${p.requestedBy}</td><td>${p.approvals.length} of ${p.required}${p.approvals.length ? ` (${p.approvals.map((x) => x.by).join(', ')})` : ''}</td><td>${time(p.expiresAt)}</td><td>${p.state === 'waiting' ? action('approve', p.id) : ''}${action('reject', p.id)}</td></tr>`,
        )}</table>`
      : html`<p class="muted" data-testid="none-waiting-${a.env}">No promotion request is waiting for ${a.env}.</p>`
  }<h4>Deployed to ${a.env}</h4>${
    a.releases.length
      ? html`<table data-testid="history-${a.env}"><tr><th>Cycle</th><th>Release</th><th>When</th><th>Result</th><th>Images</th></tr>${a.releases.map(
          (r) =>
            html`<tr><td><a href="/cycles/${r.id}">${r.id}</a></td><td>${r.sourceRelease ?? '—'}</td><td>${time(r.createdAt)}</td><td class="st-${r.outcome}">${r.outcome}</td><td>${Object.values(r.images).flat().map((i) => html`<code>${i}</code> `)}</td></tr>`,
        )}</table>`
      : html`<p class="muted">Nothing promoted to ${a.env} yet.</p>`
  }`;
}

function runningCycle(c: CycleRecord, now: number): Html {
  const stages = ['compose', 'build', 'drain', 'deploy', ...(c.kind === 'full' ? ['test-kernel'] : [])];
  return html`<p data-testid="running-cycle"><a href="/cycles/${c.id}"><b>${c.id}</b></a> ${c.kind}, ${c.trigger}, started ${formatDuration(now - c.startedAt)} ago${c.restarts ? `, restarted ${c.restarts}×` : ''}</p>
<table>${stages.map((s) => {
    const r = c.stages.find((x) => x.stage === s);
    const running = c.runningStage?.stage === s;
    const status = r ? r.status : running ? 'running' : 'waiting';
    const took = r ? formatDuration(r.finishedAt - r.startedAt) : running && c.runningStage ? formatDuration(now - c.runningStage.startedAt) : '';
    return html`<tr><td>${s}</td><td class="st-${status}">${status}</td><td>${took}</td><td><a href="/queues/queue/stage-${s}">logs</a></td></tr>`;
  })}</table>`;
}

/** While a bisection runs: which failed cycle it looks into and how far it is (explain()). */
function bisecting(e: OverviewModel['environments'][number]): Html | string {
  const b = e.explanation.bisection;
  if (!b) return '';
  return html`<p class="notice" data-testid="bisecting">🔎 ${b.reason.replace(/^b/, 'B')} (<a href="/cycles/${b.origin}">${b.origin}</a>); changes wait for its verdict.</p>`;
}

/** The PRs a bisection left out that are still out, and how each comes back. */
function exclusions(list: ExcludedPr[], repositories: string[]): Html {
  return html`<section data-testid="exclusions"><h2>Excluded PRs</h2>${
    list.length
      ? html`<table><tr><th>PR</th><th>Head</th><th>Why</th><th>Since</th><th>To bring it back</th></tr>${list.map(
          (x) =>
            html`<tr data-pr="${prLabel(x, repositories)}"><td>${prLabel(x, repositories)}</td><td><code>${short(x.sha)}</code></td><td>${x.reason} (<a href="/cycles/${x.cycleId}">${x.cycleId}</a>)</td><td>${time(x.at)}</td><td>${x.bringBack}</td></tr>`,
        )}</table>`
      : html`<p class="muted">No PR is excluded: every bisection's culprit was fixed or taken back.</p>`
  }</section>`;
}

function nextCycle(e: OverviewModel['environments'][number]): Html {
  const next = e.explanation.next;
  if (!next) return html`<p class="muted" data-testid="next-cycle">Nothing scheduled.</p>`;
  return html`<p data-testid="next-cycle"><b>${next.id}</b>: ${next.reason}<br>${next.kindReason}<br><span class="muted">${next.changes} change(s)${next.requestedBy ? `, requested by ${next.requestedBy}` : ''}</span></p>`;
}

/** Shown only when ingress ignored something: which repositories sent webhooks staging does not take. */
function ignored(repositories: IgnoredRepository[]): Html | string {
  if (repositories.length === 0) return '';
  return html`<section class="notice" data-testid="ignored-repositories"><h2>Ignored webhooks</h2>
<ul>${repositories.map((r) => html`<li data-repository="${r.repository}">${describeIgnoredRepository(r)}</li>`)}</ul>
<p class="muted">These repositories are not in <code>repositories:</code>. Add one there to stage it, or remove the GitHub App or webhook from it.</p></section>`;
}

/** One configured repository: the heads the environment's deployed cycle has of each repository. */
function deployedPerRepository(c: CycleRecord | null, repositories: string[]): Html {
  if (!c) return html`<p class="muted">Nothing deployed by Stagecraft yet.</p>`;
  return html`<p>since ${time(c.finishedAt)} (<a href="/cycles/${c.id}">${c.id}</a>)</p>
<table data-testid="deployed-repositories"><tr><th>Repository</th><th>main</th><th>staging</th><th>PRs</th></tr>${repositoryRuns(c, repositories).map(
    (run) =>
      html`<tr data-repository="${run.repository}"><td>${run.repository}</td><td><code>${short(run.mainSha)}</code></td><td><code>${short(run.stagingSha)}</code></td><td>${
        run.prs.length ? run.prs.map((p) => html`<code>${prLabel({ repo: run.repository, number: p.number }, repositories)} ${short(p.sha)}</code> `) : html`<span class="muted">none</span>`
      }</td></tr>`,
  )}</table>`;
}

function deployedOn(c: CycleRecord | null): Html {
  if (!c) return html`<p class="muted">Nothing deployed by Stagecraft yet.</p>`;
  return html`<p>main <code>${short(c.mainSha)}</code> · staging <code>${short(c.stagingSha)}</code> · image tag <code>${short(c.stagingSha ?? c.mainSha)}</code> · since ${time(c.finishedAt)} (<a href="/cycles/${c.id}">${c.id}</a>)</p>
${c.prs.length ? html`<p>PRs: ${c.prs.map((p) => html`<code>#${p.number} ${short(p.sha)}</code> `)}</p>` : html`<p class="muted">No PRs.</p>`}`;
}

function history(cycles: CycleRecord[], repositories: string[]): Html {
  if (cycles.length === 0) return html`<p class="muted">No cycles yet.</p>`;
  const longest = Math.max(...cycles.map((c) => (c.finishedAt ?? Date.now()) - c.startedAt), 1);
  return html`<table><tr><th>Cycle</th><th>Kind</th><th>Trigger</th><th>PRs</th><th>Result</th><th style="width:40%">Stages</th></tr>${cycles.map((c) => {
    const total = (c.finishedAt ?? Date.now()) - c.startedAt;
    return html`<tr><td><a href="/cycles/${c.id}">${c.id}</a><br><span class="muted">${time(c.startedAt)}</span></td><td>${c.kind}</td><td>${trigger(c, repositories)}${c.requestedBy ? ` (${c.requestedBy})` : ''}${c.restarts ? `, ${c.restarts} restart(s)` : ''}</td><td>${c.prs.map((p) => prLabel(p, repositories)).join(' ') || '—'}</td><td class="st-${c.state}">${c.state}<br><span class="muted">${formatDuration(total)}</span></td>
<td><div class="bar" style="width:${Math.max(4, Math.round((100 * total) / longest))}%">${c.stages.map((s) => html`<span class="seg-${s.status}" title="${s.stage}: ${s.status}, ${formatDuration(s.finishedAt - s.startedAt)}" style="width:${Math.max(1, Math.round((100 * (s.finishedAt - s.startedAt)) / Math.max(total, 1)))}%"></span>`)}</div></td></tr>`;
  })}</table>`;
}

/** The trigger, and where a cycle stands in a bisection: a step of one, or the failed cycle it looked into. */
function trigger(c: CycleRecord, repositories: string[]): Html | string {
  if (c.bisect) return html`bisection step ${c.bisect.step}/${c.bisect.maxSteps} of <a href="/cycles/${c.bisect.origin}">${c.bisect.origin}</a>`;
  if (c.bisection) return html`${c.trigger}<br><span class="muted">bisected: ${bisectionVerdictText(c.bisection, repositories)}</span>`;
  return c.trigger;
}
