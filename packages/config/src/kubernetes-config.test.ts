import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from './parse-config.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';
const JOB = { spec: { template: { spec: { containers: [{ name: 'kaniko', image: 'kaniko', args: ['--destination={{image}}'] }], restartPolicy: 'Never' } } } };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-k8s-config-'));
  writeFileSync(join(dir, 'job.yaml'), 'spec:\n  template:\n    spec:\n      containers:\n        - name: kaniko\n          image: "{{nope}}"\n');
  writeFileSync(join(dir, 'good-job.yaml'), 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: b\n          image: "{{image}}"\n');
  writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubernetes settings of an environment', () => {
  it.each([
    ['nothing: no kubernetes settings', { auto: true }, undefined],
    ['a namespace only', { auto: true, kubernetes: { namespace: 'staging' } }, { namespace: 'staging', inCluster: false }],
    ['defaults', { auto: true, kubernetes: {} }, { namespace: 'default', inCluster: false }],
    ['a relative kubeconfig', { auto: true, kubernetes: { kubeconfig: 'kube/config', context: 'kind' } }, { kubeconfig: '/etc/stagecraft/kube/config', context: 'kind', namespace: 'default', inCluster: false }],
    ['in cluster', { auto: true, kubernetes: { inCluster: true, namespace: 'apps' } }, { namespace: 'apps', inCluster: true }],
  ])('%s', (_name, staging, expected) => {
    const config = parseConfig({ environments: { staging } }, FILE, {}, { baseDir: '/etc/stagecraft' });
    expect(config.environments['staging']?.kubernetes).toEqual(expected);
  });

  it('takes the namespace from an env override', () => {
    const config = parseConfig({}, FILE, { STAGECRAFT_ENVIRONMENTS__STAGING__KUBERNETES__NAMESPACE: 'qa' });
    expect(config.environments['staging']?.kubernetes).toEqual({ namespace: 'qa', inCluster: false });
  });

  it.each<[string, unknown, string[]]>([
    ['a bad namespace', { namespace: 'Staging_1' }, [`${FILE}: environments.staging.kubernetes.namespace: expected a namespace name of lowercase letters, digits and "-", like "staging"`]],
    ['an unknown field', { namspace: 'x' }, [`${FILE}: environments.staging.kubernetes.namspace: unknown field (did you mean "namespace"?)`]],
    ['an empty kubeconfig', { kubeconfig: '' }, [`${FILE}: environments.staging.kubernetes.kubeconfig: expected a kubeconfig file path`]],
    [
      'inCluster with a kubeconfig',
      { inCluster: true, kubeconfig: 'k' },
      [`${FILE}: environments.staging.kubernetes.kubeconfig: kubeconfig does not apply with inCluster: true (the pod's service account is used): remove one of them`],
    ],
  ])('reports %s', (_name, kubernetes, expected) => {
    expect(problemsOf(() => parseConfig({ environments: { staging: { auto: true, kubernetes } } }, FILE, {}))).toEqual(expected);
  });
});

describe('kubernetes stage executors', () => {
  it('completes a deploy stage', () => {
    expect(parseConfig({ stages: { deploy: { executor: 'kubernetes', rolloutTimeout: '5m' } } }, FILE, {}).stages.deploy).toEqual({
      executor: 'kubernetes',
      timeout: 1_200_000,
      rolloutTimeout: 300_000,
      pollInterval: 2000,
      imageTag: '{sha}',
    });
  });

  it('completes a build stage with an inline Job', () => {
    expect(parseConfig({ stages: { build: { executor: 'kubernetes', jobTemplate: JOB } } }, FILE, {}).stages.build).toEqual({
      executor: 'kubernetes',
      timeout: 1_800_000,
      pollInterval: 2000,
      jobTemplate: JOB,
      imageTag: '{sha}',
      ttlSecondsAfterFinished: 3600,
      logTailLines: 50,
    });
  });

  it('reads a Job template file relative to the config file', () => {
    const build = parseConfig({ stages: { build: { executor: 'kubernetes', jobTemplate: { file: 'good-job.yaml' } } } }, FILE, {}, { baseDir: dir }).stages.build;
    expect(build.executor === 'kubernetes' && build.jobTemplate).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      spec: { template: { spec: { containers: [{ name: 'b', image: '{{image}}' }] } } },
    });
  });

  it.each<[string, unknown, string[]]>([
    ['a bad rollout timeout', { deploy: { executor: 'kubernetes', rolloutTimeout: 'soon' } }, [`${FILE}: stages.deploy.rolloutTimeout: expected a duration like "5m", got "soon"`]],
    ['a local field on kubernetes', { deploy: { executor: 'kubernetes', command: 'x' } }, [`${FILE}: stages.deploy.command: unknown field for this executor`]],
    [
      'an unknown tag placeholder',
      { deploy: { executor: 'kubernetes', imageTag: 'v-{commit}' } },
      [`${FILE}: stages.deploy.imageTag: unknown placeholder {commit}: use {sha}, {shortSha}, {cycleId}, {env}`],
    ],
    [
      'a tag no registry takes',
      { deploy: { executor: 'kubernetes', imageTag: 'release/{sha}' } },
      [`${FILE}: stages.deploy.imageTag: "release/{sha}" would not be a valid image tag: outside placeholders use only letters, digits, "_", "." and "-"`],
    ],
    ['kubernetes on drain', { drain: { executor: 'kubernetes' } }, [`${FILE}: stages.drain.executor: expected executor "local" or "http", got "kubernetes"`]],
    ['a build without a Job template', { build: { executor: 'kubernetes' } }, [`${FILE}: stages.build.jobTemplate: required, but missing`]],
    [
      'a Job template without containers',
      { build: { executor: 'kubernetes', jobTemplate: { kind: 'Job', spec: {} } } },
      [`${FILE}: stages.build.jobTemplate.spec.template.spec.containers: a Job template needs at least one container (the builder, e.g. kaniko)`],
    ],
    [
      'a Job template of another kind',
      { build: { executor: 'kubernetes', jobTemplate: { ...JOB, kind: 'Pod' } } },
      [`${FILE}: stages.build.jobTemplate.kind: expected "Job" (or nothing), got "Pod"`],
    ],
    [
      'an unknown Job template placeholder',
      { build: { executor: 'kubernetes', jobTemplate: { ...JOB, metadata: { labels: { app: '{{app}}' } } } } },
      [
        `${FILE}: stages.build.jobTemplate.metadata.labels.app: unknown placeholder {{app}}: use {{component}}, {{image}}, {{images}}, {{tag}}, {{context}}, {{sha}}, {{shortSha}}, {{cycleId}}, {{env}}, {{jobName}}`,
      ],
    ],
    [
      'a missing Job template file',
      { build: { executor: 'kubernetes', jobTemplate: { file: 'missing.yaml' } } },
      [`${FILE}: stages.build.jobTemplate: cannot read the Job template DIR/missing.yaml (no such file): create it, or point this field at the Job's YAML or JSON`],
    ],
    [
      'a Job template file with a bad placeholder',
      { build: { executor: 'kubernetes', jobTemplate: { file: 'job.yaml' } } },
      [
        `${FILE}: stages.build.jobTemplate.file: in job.yaml at spec.template.spec.containers.0.image: unknown placeholder {{nope}}: use {{component}}, {{image}}, {{images}}, {{tag}}, {{context}}, {{sha}}, {{shortSha}}, {{cycleId}}, {{env}}, {{jobName}}`,
      ],
    ],
    ['a Job template file holding a list', { build: { executor: 'kubernetes', jobTemplate: { file: 'list.yaml' } } }, [`${FILE}: stages.build.jobTemplate: the Job template DIR/list.yaml must hold a mapping (a batch/v1 Job)`]],
    ['a Job template of the wrong kind', { build: { executor: 'kubernetes', jobTemplate: 'job.yaml' } }, [`${FILE}: stages.build.jobTemplate: expected a Job as a mapping, or { file: PATH } naming its YAML or JSON`]],
  ])('reports %s', (_name, stages, expected) => {
    const problems = problemsOf(() => parseConfig({ stages }, FILE, {}, { baseDir: dir }));
    expect(problems.map((p) => p.replaceAll(dir, 'DIR'))).toEqual(expected);
  });
});
