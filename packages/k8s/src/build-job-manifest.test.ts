import { describe, expect, it } from '@jest/globals';
import { buildJobManifest } from './build-job-manifest.js';

const input = {
  name: 'stagecraft-build-api-staging-1-1',
  namespace: 'builds',
  values: { image: 'reg/api:abc', component: 'api' },
  labels: { 'stagecraft.dev/component': 'api' },
  ttlSecondsAfterFinished: 600,
};

describe('buildJobManifest', () => {
  it('fills in placeholders and sets what Stagecraft owns, keeping the rest of the template', () => {
    const template = {
      apiVersion: 'batch/v1',
      metadata: { name: 'template-name', generateName: 'x-', labels: { team: 't' }, annotations: { note: '{{component}} build' } },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 1800,
        template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'kaniko', image: 'kaniko', args: ['--destination={{ image }}', '{{unknown}}'] }] } },
      },
    };
    expect(buildJobManifest(template, input)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: input.name, namespace: 'builds', labels: { team: 't', 'stagecraft.dev/component': 'api' }, annotations: { note: 'api build' } },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 600,
        template: {
          metadata: { labels: { 'stagecraft.dev/component': 'api' } },
          spec: { restartPolicy: 'OnFailure', containers: [{ name: 'kaniko', image: 'kaniko', args: ['--destination=reg/api:abc', '{{unknown}}'] }] },
        },
      },
    });
    expect(template.spec.template.spec.containers[0]!.args[0]).toBe('--destination={{ image }}');
  });

  it('gives a template that says nothing no retries and restartPolicy Never', () => {
    const job = buildJobManifest({ spec: { template: { spec: { containers: [{ name: 'b' }] } } } }, input);
    expect(job.spec?.backoffLimit).toBe(0);
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
  });
});
