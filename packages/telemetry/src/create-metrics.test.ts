import { describe, expect, it } from '@jest/globals';
import { createMetrics, type Metrics } from './create-metrics.js';
import { MetricDefinitionConflictError } from './errors/metric-definition-conflict-error.js';

describe('createMetrics', () => {
  it('labels every metric with the app and prefixes the default ones', async () => {
    const metrics = createMetrics('scheduler');
    metrics.gauge('stagecraft_test_depth', 'depth', [], function collect() {
      this.set(7);
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^stagecraft_process_resident_memory_bytes\{app="scheduler"\} \d+/m);
    expect(text).toContain('stagecraft_test_depth{app="scheduler"} 7');
  });

  it.each<[string, (m: Metrics) => unknown]>([
    ['counter', (m) => m.counter('stagecraft_test_total', 'help', ['kind'])],
    ['histogram', (m) => m.histogram('stagecraft_test_seconds', 'help', ['kind'], [1, 2])],
    ['gauge', (m) => m.gauge('stagecraft_test_value', 'help', ['kind'])],
  ])('returns the same %s on a second request', (_kind, get) => {
    const metrics = createMetrics('test');
    expect(get(metrics)).toBe(get(metrics));
  });

  it('counts through a metric obtained twice', async () => {
    const metrics = createMetrics('test');
    metrics.counter('stagecraft_test_total', 'help', ['kind']).inc({ kind: 'a' });
    metrics.counter('stagecraft_test_total', 'help', ['kind']).inc({ kind: 'a' });
    expect(await metrics.registry.getSingleMetricAsString('stagecraft_test_total')).toContain('stagecraft_test_total{kind="a",app="test"} 2');
  });

  it.each<[string, (m: Metrics) => unknown]>([
    ['another kind', (m) => m.gauge('stagecraft_test_total', 'help', ['kind'])],
    ['other labels', (m) => m.counter('stagecraft_test_total', 'help', ['env'])],
    ['no labels', (m) => m.counter('stagecraft_test_total', 'help')],
  ])('refuses a second definition with %s', (_name, redefine) => {
    const metrics = createMetrics('test');
    metrics.counter('stagecraft_test_total', 'help', ['kind']);
    expect(() => redefine(metrics)).toThrow(MetricDefinitionConflictError);
    expect(() => redefine(metrics)).toThrow(/stagecraft_test_total is already registered as counter\(kind\)/);
  });

  it('accepts the same labels in another order', () => {
    const metrics = createMetrics('test');
    const first = metrics.counter('stagecraft_test_total', 'help', ['env', 'kind']);
    expect(metrics.counter('stagecraft_test_total', 'help', ['kind', 'env'])).toBe(first);
  });
});
