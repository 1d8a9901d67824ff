import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { createMetrics } from '@stagecraft/telemetry';
import { flakeCounter, queueDepthGauge, schedulerMetrics, stageMetrics } from '@stagecraft/engine';
import { ingressMetrics } from '@stagecraft/webhooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DASHBOARD = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/stagecraft-dashboard.json'), 'utf8'));

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}
const PANELS: Panel[] = DASHBOARD.panels.filter((p: Panel) => p.type !== 'row');
const VARIABLE_QUERIES: string[] = DASHBOARD.templating.list.filter((v: { type: string }) => v.type === 'query').map((v: { definition: string }) => v.definition);
const EXPRS: string[] = PANELS.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** Every series name the apps expose, with its label names: the apps' own instruments, made here. */
function exposedSeries(): Map<string, Set<string>> {
  const metrics = createMetrics('test');
  ingressMetrics(metrics);
  schedulerMetrics(metrics);
  stageMetrics(metrics);
  flakeCounter(metrics);
  queueDepthGauge(metrics, []);
  const series = new Map<string, Set<string>>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const { name, labelNames = [] } = metric as unknown as { name: string; labelNames?: string[] };
    const labels = new Set(['app', ...labelNames]);
    const type = metric.constructor.name;
    if (type === 'Histogram') {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else {
      series.set(name, labels);
    }
  }
  return series;
}

/** What is wrong with one PromQL expression: unknown metric names, unknown labels in selectors or `by`. */
function problemsOf(expr: string, series: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const names = [...expr.matchAll(/\bstagecraft_[a-z_]+/g)].map((m) => m[0]);
  if (names.length === 0) problems.push(`${expr}: uses no stagecraft metric`);
  for (const name of names) if (!series.has(name)) problems.push(`${name} is not a metric the apps register`);
  for (const [, name, selector] of expr.matchAll(/\b(stagecraft_[a-z_]+)\{([^}]*)\}/g)) {
    for (const [, label] of selector!.matchAll(/([a-zA-Z_]+)\s*(?:=~|!~|!=|=)/g)) {
      if (series.has(name!) && !series.get(name!)!.has(label!)) problems.push(`${name} has no label ${label}`);
    }
  }
  const known = new Set(names.flatMap((n) => [...(series.get(n) ?? [])]));
  for (const [, list] of expr.matchAll(/\bby \(([^)]*)\)/g)) {
    for (const label of list!.split(',').map((l) => l.trim())) if (!known.has(label)) problems.push(`${expr}: groups by ${label}, which its metrics lack`);
  }
  return problems;
}

describe('the Grafana dashboard', () => {
  const series = exposedSeries();

  it('queries only metrics and labels the apps register, in panels and variables', () => {
    expect(EXPRS.length).toBeGreaterThan(0);
    expect(VARIABLE_QUERIES.length).toBeGreaterThan(0);
    expect([...EXPRS, ...VARIABLE_QUERIES].flatMap((expr) => problemsOf(expr, series))).toEqual([]);
  });

  it.each([
    ['an unknown metric', 'sum(rate(stagecraft_webhooks_recieved_total[5m]))', 'stagecraft_webhooks_recieved_total is not a metric the apps register'],
    ['an unknown selector label', 'sum(rate(stagecraft_events_total{env="x"}[5m]))', 'stagecraft_events_total has no label env'],
    ['an unknown grouping label', 'sum by (stage) (rate(stagecraft_events_total[5m]))', 'sum by (stage) (rate(stagecraft_events_total[5m])): groups by stage, which its metrics lack'],
  ])('would notice %s', (_name, expr, problem) => {
    expect(problemsOf(expr, series)).toEqual([problem]);
  });

  it('asks for its Prometheus data source through ${DS_PROMETHEUS}, on every panel and query', () => {
    expect(DASHBOARD.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(DASHBOARD.templating.list).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }));
    const uids = PANELS.flatMap((p) => [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource?.uid)]);
    expect(new Set(uids)).toEqual(new Set(['${DS_PROMETHEUS}']));
  });

  it.each([
    ['webhooks by event', 'stagecraft_webhooks_received_total'],
    ['rejections by reason', 'stagecraft_webhooks_rejected_total'],
    ['events by kind', 'stagecraft_events_total'],
    ['cycles by result', 'stagecraft_cycles_finished_total'],
    ['cycle duration', 'stagecraft_cycle_duration_seconds_bucket'],
    ['restarts', 'stagecraft_cycle_restarts_total'],
    ['stage duration', 'stagecraft_stage_duration_seconds_bucket'],
    ['deploys per environment', 'stagecraft_deploys_total'],
    ['queue depth', 'stagecraft_queue_jobs'],
    ['bisections', 'stagecraft_bisections_total'],
    ['bisection cycles', 'stagecraft_bisection_cycles_total'],
    ['bisection verdicts', 'stagecraft_bisection_verdicts_total'],
    ['exclusions', 'stagecraft_exclusions_total'],
    ['flaky stages', 'stagecraft_stage_flakes_total'],
  ])('has a panel for %s', (_what, metric) => {
    expect(EXPRS.some((expr) => new RegExp(`\\b${metric}\\b`).test(expr))).toBe(true);
  });
});
