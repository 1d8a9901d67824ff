import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MetricDefinitionConflictError } from './errors/metric-definition-conflict-error.js';

export interface Metrics {
  registry: Registry;
  /** The counter of this name, created on first use. */
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  histogram<L extends string>(name: string, help: string, labelNames?: readonly L[], buckets?: number[]): Histogram<L>;
  gauge<L extends string>(name: string, help: string, labelNames?: readonly L[], collect?: (this: Gauge<L>) => void | Promise<void>): Gauge<L>;
}

type MetricClass = typeof Counter | typeof Histogram | typeof Gauge;

/** A registry per app (label `app`), with Node's default metrics; getters create a metric once. */
export function createMetrics(app: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry, prefix: 'stagecraft_' });

  // Returns the metric already registered under `name`, if it is the same kind with the same labels.
  const existing = <T>(kind: MetricClass, name: string, labelNames: readonly string[]): T | undefined => {
    const metric = registry.getSingleMetric(name);
    if (metric === undefined) return undefined;
    const requested = `${kind.name.toLowerCase()}(${labelNames.join(',')})`;
    // prom-client keeps each metric's label names on the instance, though its types do not say so.
    const labels = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
    const registered = `${metric.constructor.name.toLowerCase()}(${labels.join(',')})`;
    if (!(metric instanceof kind) || [...labels].sort().join(',') !== [...labelNames].sort().join(',')) {
      throw new MetricDefinitionConflictError(name, registered, requested);
    }
    return metric as T;
  };

  return {
    registry,
    counter: (name, help, labelNames = []) =>
      existing(Counter, name, labelNames) ?? new Counter({ name, help, labelNames: [...labelNames], registers: [registry] }),
    histogram: (name, help, labelNames = [], buckets) =>
      existing(Histogram, name, labelNames) ??
      new Histogram({ name, help, labelNames: [...labelNames], registers: [registry], ...(buckets ? { buckets } : {}) }),
    gauge: (name, help, labelNames = [], collect) =>
      existing(Gauge, name, labelNames) ??
      new Gauge({ name, help, labelNames: [...labelNames], registers: [registry], ...(collect ? { collect } : {}) }),
  };
}
