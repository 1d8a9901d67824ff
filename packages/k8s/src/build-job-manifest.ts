import type { V1Job } from '@kubernetes/client-node';
import { renderPlaceholders } from './render-placeholders.js';

export interface BuildJobInput {
  name: string;
  namespace: string;
  /** Placeholder values: component, image, images, tag, context, sha, shortSha, cycleId, env, jobName. */
  values: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  ttlSecondsAfterFinished: number;
}

/**
 * The Job to create from the configured template: placeholders filled in, Stagecraft's name,
 * namespace and labels, and ttlSecondsAfterFinished so Kubernetes cleans up what Stagecraft could
 * not. A template that says nothing gets no retries (backoffLimit 0) and restartPolicy Never: a
 * failed build is reported, not repeated.
 */
export function buildJobManifest(template: Readonly<Record<string, unknown>>, input: BuildJobInput): V1Job {
  const job = renderPlaceholders(structuredClone(template), input.values) as V1Job & { metadata?: { generateName?: string } };
  const metadata = { ...job.metadata };
  delete metadata.generateName;
  const spec = { ...job.spec! };
  const podTemplate = { ...spec.template };
  return {
    ...job,
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...metadata, name: input.name, namespace: input.namespace, labels: { ...metadata.labels, ...input.labels } },
    spec: {
      ...spec,
      backoffLimit: spec.backoffLimit ?? 0,
      ttlSecondsAfterFinished: input.ttlSecondsAfterFinished,
      template: {
        ...podTemplate,
        metadata: { ...podTemplate.metadata, labels: { ...podTemplate.metadata?.labels, ...input.labels } },
        spec: { ...podTemplate.spec!, restartPolicy: podTemplate.spec?.restartPolicy ?? 'Never' },
      },
    },
  };
}
