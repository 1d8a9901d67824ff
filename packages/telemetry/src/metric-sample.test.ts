import { describe, expect, it } from '@jest/globals';
import { metricSample } from './metric-sample.js';

const TEXT = [
  '# HELP stagecraft_x_total x',
  '# TYPE stagecraft_x_total counter',
  'stagecraft_x_total{kind="push",app="ingress"} 3',
  'stagecraft_x_seconds_bucket{le="+Inf",app="ingress",kind="push"} 2',
  'stagecraft_plain 7',
].join('\n');

describe('metricSample', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['stagecraft_x_total', { kind: 'push' }, 3],
    ['stagecraft_x_total', { app: 'ingress', kind: 'push' }, 3],
    ['stagecraft_x_total', { kind: 'pull_request' }, undefined],
    ['stagecraft_x_seconds_bucket', { kind: 'push', le: '+Inf' }, 2],
    ['stagecraft_x_seconds', {}, undefined],
    ['stagecraft_plain', {}, 7],
  ])('%s %j is %s', (name, labels, value) => {
    expect(metricSample(TEXT, name, labels)).toBe(value);
  });
});
