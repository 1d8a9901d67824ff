import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig } from '@stagecraft/config';
import { renderKustomization, type K8sObject } from './support/render-kustomization.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KUSTOMIZE = join(ROOT, 'deploy/kustomize');
const OVERLAYS = readdirSync(join(KUSTOMIZE, 'overlays'));
/** Apps that are processes of their own in a cluster; the CLI is run by people (`args: [cli, …]`). */
const SERVICE_APPS = readdirSync(join(ROOT, 'apps')).filter((app) => app !== 'cli');
const STAGE_APPS = ['compose', 'build', 'drain', 'deploy', 'test-kernel'];
const PRESTOP_MS = 5000;

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const render = (overlay: string) => renderKustomization(join(KUSTOMIZE, 'overlays', overlay));
const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: K8sObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
const configKey = (app: string) => app.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

type Container = {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }>;
  envFrom?: unknown[];
  ports?: Array<{ name: string; containerPort: number }>;
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: Record<string, unknown>;
};
type PodSpec = { containers: Container[]; securityContext?: Record<string, unknown>; terminationGracePeriodSeconds?: number; serviceAccountName?: string; automountServiceAccountToken?: boolean };
const podOf = (d: K8sObject) => (d['spec'] as { template: { spec: PodSpec } }).template.spec;
const podAnnotationsOf = (d: K8sObject) => (d['spec'] as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations ?? {};
type AppPorts = { port: number; metricsPort: number };
type ServicePort = { name?: string; port: number; targetPort?: string | number };
type IngressBackend = { name: string; port: { name?: string; number?: number } };

/** Every Service backend an Ingress routes to, in its rules and as its default backend. */
function ingressBackends(ingress: K8sObject): IngressBackend[] {
  const found: IngressBackend[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'service' && v !== null && typeof v === 'object' && 'name' in v) found.push(v as IngressBackend);
      else walk(v);
    }
  };
  walk(ingress['spec']);
  return found;
}

/** The stagecraft.yaml every pod of the overlay reads, parsed the way the apps parse it. */
function configOf(objects: K8sObject[]) {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('stagecraft-config-'))!;
  const text = (cm['data'] as Record<string, string>)['stagecraft.yaml']!;
  // Every secret the config names is in the Secret the pods take their env from; give each a value.
  const secrets = Object.fromEntries([...text.matchAll(/\{\s*env:\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)].map((m) => [m[1]!, 'x']));
  return { text, config: (env: Record<string, string>) => parseConfig(parse(text), 'stagecraft.yaml', { ...secrets, ...env }) };
}

describe.each(OVERLAYS)('deploy/kustomize/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const { config } = configOf(objects);

  (kubectl ? it : it.skip)('renders the same as kubectl kustomize', () => {
    const out = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE, 'overlays', overlay)], { encoding: 'utf8' });
    const real = parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
    // Generated ConfigMap names carry a content hash; the renderer's is its own (see configMapHash).
    const unhashed = (list: K8sObject[]) => JSON.parse(JSON.stringify(byKey(list)).replace(/(stagecraft-config)-[a-z0-9]{10}\b/g, '$1-HASH')) as unknown;
    expect(unhashed(objects)).toEqual(unhashed(real));
  });

  it('holds only objects that are valid against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      const mod = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = mod[o.kind];
      expect(Model).toBeDefined();
      expect(() => new Model!(o).validate()).not.toThrow();
    }
  });

  it('runs every app in apps/ on its configured port, with /healthz and /readyz probes', () => {
    const defaults = parseConfig({}, 'defaults', {});
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICE_APPS.map((a) => `stagecraft-${a}`).sort());
    for (const app of SERVICE_APPS) {
      const d = deployments.find((x) => x.metadata.name === `stagecraft-${app}`)!;
      const [c] = podOf(d).containers;
      const { port, metricsPort } = (config({}).apps as Record<string, AppPorts>)[configKey(app)]!;
      const defaultPorts = (defaults.apps as Record<string, AppPorts>)[configKey(app)]!;
      expect({ port, metricsPort }).toEqual({ port: defaultPorts.port, metricsPort: defaultPorts.metricsPort });
      expect(c!.args).toEqual([app]);
      expect(c!.ports).toEqual([{ name: 'http', containerPort: port }, { name: 'metrics', containerPort: metricsPort }]);
      // Prometheus scrapes the pod on its metrics port; /metrics is not served on the http one.
      expect(podAnnotationsOf(d)).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(metricsPort), 'prometheus.io/path': '/metrics' });
      expect(c!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c!.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c!.image).toMatch(/^ghcr\.io\/example\/stagecraft:/);
    }
  });

  it('reads a valid config from the ConfigMap with the env the pods have', () => {
    for (const d of deployments) {
      const [c] = podOf(d).containers;
      const env = Object.fromEntries((c!.env ?? []).map((e) => [e.name, e.value ?? 'x']));
      expect(env['STAGECRAFT_CONFIG']).toBe('/etc/stagecraft/stagecraft.yaml');
      // STAGECRAFT_APP is what the image sets: it must not read as a config override.
      expect(() => config({ ...env, STAGECRAFT_APP: c!.args![0]! })).not.toThrow();
    }
  });

  it('gives each app only the secret keys it reads, each under its own name', () => {
    const expected: Record<string, string[]> = {
      ingress: ['GITHUB_WEBHOOK_SECRET', 'REDIS_PASSWORD'],
      dashboard: ['REDIS_PASSWORD', 'STAGECRAFT_DASHBOARD_TOKEN'],
      scheduler: ['GITHUB_APP_PRIVATE_KEY', 'REDIS_PASSWORD'],
      notifier: ['GITHUB_APP_PRIVATE_KEY', 'REDIS_PASSWORD'],
      compose: ['GITHUB_APP_PRIVATE_KEY', 'REDIS_PASSWORD'],
      // Stage workers: the Redis password for the worker alone; their commands see none of it.
      build: ['REDIS_PASSWORD'],
      drain: ['REDIS_PASSWORD'],
      deploy: ['REDIS_PASSWORD'],
      'test-kernel': ['REDIS_PASSWORD'],
    };
    expect(Object.keys(expected).sort()).toEqual([...SERVICE_APPS].sort());
    const secretKeys = (c: Container) =>
      (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [{ ...e.valueFrom.secretKeyRef, env: e.name }] : []));
    for (const app of SERVICE_APPS) {
      const [c] = podOf(deployments.find((d) => d.metadata.name === `stagecraft-${app}`)!).containers;
      // No envFrom: a whole Secret as env would hand every app every key.
      expect([app, c!.envFrom]).toEqual([app, undefined]);
      const refs = secretKeys(c!);
      expect([app, refs.map((r) => r.key).sort()]).toEqual([app, expected[app]]);
      for (const ref of refs) {
        // The app refuses to start without these, so the pod should not start either.
        const required = ['GITHUB_WEBHOOK_SECRET', 'STAGECRAFT_DASHBOARD_TOKEN'].includes(ref.key);
        expect(ref).toEqual({ name: 'stagecraft-secrets', key: ref.env, env: ref.env, ...(required ? {} : { optional: true }) });
      }
    }
    // Every secret the overlay's config reads from env reaches at least one app that reads it.
    const { text } = configOf(objects);
    const named = [...text.matchAll(/\{\s*env:\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)].map((m) => m[1]!);
    const given = new Set(deployments.flatMap((d) => secretKeys(podOf(d).containers[0]!).map((r) => r.key)));
    expect(named.filter((name) => !given.has(name))).toEqual([]);
  });

  it('runs non-root on a read-only root filesystem and stops within workers.shutdownGrace', () => {
    const grace = config({}).workers.shutdownGrace;
    for (const d of deployments) {
      const pod = podOf(d);
      const [c] = pod.containers;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(c!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      const needed = grace + (c!.lifecycle?.preStop ? PRESTOP_MS : 0);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(needed);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeLessThanOrEqual(needed + 10_000);
    }
  });

  it('autoscales the stage workers, whose Deployments leave the replica count to the autoscaler', () => {
    const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => (h['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name).sort()).toEqual(STAGE_APPS.map((a) => `stagecraft-${a}`).sort());
    for (const app of STAGE_APPS) {
      expect((deployments.find((d) => d.metadata.name === `stagecraft-${app}`)!['spec'] as { replicas?: number }).replicas).toBeUndefined();
    }
  });

  it('routes Services and the Ingress to pods and Services that exist', () => {
    const services = objects.filter((o) => o.kind === 'Service');
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['stagecraft-dashboard', 'stagecraft-ingress']);
    for (const s of services) {
      const selector = (s['spec'] as { selector: Record<string, string> }).selector;
      const matches = deployments.filter((d) => Object.entries(selector).every(([k, v]) => (d['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[k] === v));
      expect(matches).toHaveLength(1);
    }
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    const backends = JSON.stringify(ingress['spec']).match(/"service":\{"name":"([^"]+)"/g)!.map((m) => m.split('"')[5]);
    expect(new Set(backends)).toEqual(new Set(['stagecraft-ingress', 'stagecraft-dashboard']));
    expect(JSON.stringify(ingress['spec'])).toContain('"path":"/webhooks"');
  });

  it('exposes metrics in the cluster only: Services name a metrics port, no Ingress rule reaches one', () => {
    const services = objects.filter((o) => o.kind === 'Service');
    const podsOf = (service: K8sObject) => {
      const selector = (service['spec'] as { selector: Record<string, string> }).selector;
      return deployments.filter((d) => Object.entries(selector).every(([k, v]) => (d['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[k] === v));
    };
    /** The container port a Service port sends to, in each pod it selects. */
    const containerPortsOf = (service: K8sObject, servicePort: ServicePort) =>
      podsOf(service).map((d) => {
        const [c] = podOf(d).containers;
        const target = servicePort.targetPort ?? servicePort.port;
        const named = c!.ports!.find((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target));
        return { app: c!.args![0]!, containerPort: named?.containerPort ?? target };
      });
    const metricsPortOf = (app: string) => (config({}).apps as Record<string, AppPorts>)[configKey(app)]!.metricsPort;

    for (const service of services) {
      const ports = (service['spec'] as { ports: ServicePort[] }).ports;
      const metrics = ports.find((p) => p.name === 'metrics');
      expect(metrics).toBeDefined();
      for (const { app, containerPort } of containerPortsOf(service, metrics!)) expect(containerPort).toBe(metricsPortOf(app));
    }

    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) {
      const backends = ingressBackends(ingress);
      expect(backends.length).toBeGreaterThan(0);
      for (const backend of backends) {
        const service = services.find((s) => s.metadata.name === backend.name)!;
        const servicePort = (service['spec'] as { ports: ServicePort[] }).ports.find((p) =>
          backend.port.name !== undefined ? p.name === backend.port.name : p.port === backend.port.number,
        );
        expect(servicePort).toBeDefined();
        for (const { app, containerPort } of containerPortsOf(service, servicePort!)) {
          expect({ backend, containerPort }).not.toEqual({ backend, containerPort: metricsPortOf(app) });
          expect({ backend, containerPort }).toEqual({ backend, containerPort: (config({}).apps as Record<string, AppPorts>)[configKey(app)]!.port });
        }
      }
    }
  });

  it('grants the stages exactly what they do, in every namespace the config deploys to', () => {
    const namespaces = Object.values(config({}).environments).flatMap((e) => (e.kubernetes ? [e.kubernetes.namespace] : []));
    expect(namespaces.length).toBeGreaterThan(0);
    const sa = objects.find((o) => o.kind === 'ServiceAccount')!;
    for (const ns of namespaces) {
      const role = objects.find((o) => o.kind === 'Role' && o.metadata.namespace === ns)!;
      expect(role['rules']).toEqual([
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ]);
      const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns)!;
      expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
      expect(binding['roleRef']).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    }
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    // Only the pods that call the Kubernetes API carry a token.
    for (const d of deployments) {
      expect(podOf(d).automountServiceAccountToken).toBe(['stagecraft-build', 'stagecraft-deploy'].includes(d.metadata.name));
    }
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
  const ignore = readFileSync(join(ROOT, 'deploy/Dockerfile.dockerignore'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const tmp = mkdtempSync(join(tmpdir(), 'sc-image-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds every app in apps/ and every package, from a frozen lockfile, and runs as a non-root user under tini', () => {
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-slim AS build$/m);
    // The image runs Node 22 LTS (Node 20 reached end of life in April 2026); the tests run on both.
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=22$/m);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    // The runtime tree comes from the script test/deploy/production-install.test.ts starts every app from.
    expect(dockerfile).toContain('sh deploy/docker/production-install.sh /out');
    expect(readFileSync(join(ROOT, 'deploy/docker/production-install.sh'), 'utf8')).toContain('pnpm install --prod --frozen-lockfile');
    expect(dockerfile).toContain('pnpm -r --filter "./packages/*" --filter "./apps/*" run build');
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/stagecraft-app"]');
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string; engines: { node: string } };
    expect(packageJson.engines.node).toBe('>=20.10');
    expect(dockerfile).toContain(`ARG PNPM_VERSION=${packageJson.packageManager.replace('pnpm@', '')}`);
    for (const app of readdirSync(join(ROOT, 'apps'))) {
      // Each app builds to the dist/main.js the entrypoint runs.
      const build = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
      expect([build.compilerOptions.rootDir, build.compilerOptions.outDir]).toEqual(['src', 'dist']);
      expect(readdirSync(join(ROOT, 'apps', app, 'src'))).toContain('main.ts');
    }
    for (const needed of ['apps', 'packages', 'pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml', '.npmrc', 'deploy']) {
      expect(ignore.filter((pattern) => pattern === needed || pattern === `${needed}/`)).toEqual([]);
    }
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });

  it('starts the app named by its argument, else by STAGECRAFT_APP, and refuses an unknown one', () => {
    for (const app of ['scheduler', 'test-kernel']) {
      mkdirSync(join(tmp, 'apps', app, 'dist'), { recursive: true });
      writeFileSync(join(tmp, 'apps', app, 'dist/main.js'), `console.log(JSON.stringify(['${app}', ...process.argv.slice(2)]));\n`);
    }
    const script = join(ROOT, 'deploy/docker/stagecraft-app.sh');
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync('sh', [script, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH']!, STAGECRAFT_APP_ROOT: tmp, ...env } });
    expect(JSON.parse(run(['test-kernel', '--x']).stdout)).toEqual(['test-kernel', '--x']);
    expect(JSON.parse(run([], { STAGECRAFT_APP: 'scheduler' }).stdout)).toEqual(['scheduler']);
    const unknown = run(['nope']);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('no app "nope" in this image (apps: scheduler test-kernel');
    expect(run([]).status).toBe(64);
  });
});
