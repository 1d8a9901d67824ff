import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are JSON here, as on the wire. */
type Json = any;

/** How a Deployment's rollout goes after a change to its pod template. */
export interface RolloutScript {
  /** complete: all replicas updated and available; deadline: Progressing=False, ProgressDeadlineExceeded; hang: stays in progress. */
  outcome: 'complete' | 'deadline' | 'hang';
  /** Reads (GETs) of the Deployment after the change before the outcome shows. */
  afterPolls: number;
}

/** How a build Job goes: its outcome after some reads, and what its pod logs. */
export interface JobScript {
  outcome: 'complete' | 'fail' | 'hang';
  afterPolls: number;
  log: string;
  /** The outcome shows only once this returns true (and afterPolls reads were made): the Job stays active until then. */
  until?: () => boolean;
  /** A follow stream of the pod's log is cut (the connection destroyed) after this many lines and half of the next. */
  breakFollowAfter?: number;
}

/** A `follow=true` log request being served. */
export interface FollowStream {
  pod: string;
  /** Whole lines written so far. */
  lines: number;
  /** How it ended (see `ended`); null while it runs. */
  how: 'complete' | 'client' | 'broken' | 'server' | null;
  /** How it ended: complete (the log was written and the Job finished), client (the client closed it), broken (cut by breakFollowAfter), server (the server closed). */
  ended: Promise<'complete' | 'client' | 'broken' | 'server'>;
}

export interface RecordedKubeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: Json;
  status: number;
}

export interface FakeKubeServerOptions {
  token?: string;
  /** Decides each rollout from the Deployment as patched (images, annotations). Default: completes after 1 poll. */
  rollout?: (deployment: Json) => RolloutScript;
  /** Decides each created Job. Default: completes after 1 poll with a one-line log. */
  job?: (job: Json) => JobScript;
  /** Called with each authorized call before it is served (a test may change state here, as another client would). */
  onRequest?: (call: RecordedKubeCall, server: FakeKubeServer) => void;
  /** Between two writes of a followed log (each line is written in two halves). Default 2 ms. */
  logWriteIntervalMs?: number;
}

interface DeploymentState {
  object: Json;
  script: RolloutScript;
  pollsSinceChange: number;
}

interface JobState {
  object: Json;
  script: JobScript;
  polls: number;
  pod: Json;
}

const PATCH_TYPES = ['application/strategic-merge-patch+json', 'application/merge-patch+json'];

/** Lists a strategic merge patch merges by a key instead of replacing (the ones a Deployment has). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
};

const clone = <T>(value: T): T => structuredClone(value);
const isObject = (value: unknown): value is Record<string, Json> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** RFC 7386: objects merge, null removes, anything else replaces. */
function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Kubernetes' strategic merge: like a merge patch, but lists with a merge key merge item by item. */
function strategicMerge(target: Json, patch: Json, field?: string): Json {
  if (Array.isArray(patch) && field !== undefined && MERGE_KEYS[field] !== undefined && Array.isArray(target)) {
    const key = MERGE_KEYS[field];
    const result = clone(target) as Json[];
    for (const item of patch) {
      if (isObject(item) && item['$patch'] === 'delete') {
        const at = result.findIndex((existing) => existing?.[key] === item[key]);
        if (at >= 0) result.splice(at, 1);
        continue;
      }
      const at = result.findIndex((existing) => isObject(item) && existing?.[key] === item[key]);
      if (at >= 0) result[at] = strategicMerge(result[at], item);
      else result.push(clone(item));
    }
    return result;
  }
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (value === null) delete result[key];
    else result[key] = strategicMerge(result[key], value, key);
  }
  return result;
}

function status(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function matchesSelector(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [key, value] = term.includes('!=') ? term.split('!=') : term.split(/==?/);
      const actual = labels?.[key!.trim()];
      return term.includes('!=') ? actual !== value?.trim() : actual === value?.trim();
    });
}

/**
 * A local Kubernetes API server speaking the real JSON for what the kubernetes executors use:
 * apps/v1 Deployments (GET, strategic-merge and merge PATCH, with resourceVersion preconditions),
 * batch/v1 Jobs (POST, GET, DELETE), pods by label selector and pod logs (read at once, with
 * tailLines, or followed: a chunked stream writing the scripted log over time and ending once the
 * Job finished), and Status objects for errors. Rollouts and Jobs progress by scripted behaviour,
 * counted in reads (or gated by the test), so tests never depend on time. Every call is recorded.
 */
export class FakeKubeServer {
  readonly calls: RecordedKubeCall[] = [];
  readonly token: string;
  private readonly deployments = new Map<string, DeploymentState>();
  private readonly jobs = new Map<string, JobState>();
  /** Pods removed with their Job, and pods a delete without propagation left behind. */
  readonly deletedPods: Json[] = [];
  readonly orphanedPods: Json[] = [];
  readonly followStreams: FollowStream[] = [];
  private readonly streamTimers = new Set<NodeJS.Timeout>();
  private resourceVersion = 1000;
  private server: Server | null = null;
  url = '';

  constructor(private readonly options: FakeKubeServerOptions = {}) {
    this.token = options.token ?? 'fake-token';
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const timer of this.streamTimers) clearInterval(timer);
    this.streamTimers.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds a Deployment whose last rollout completed, with one container per image given. */
  addDeployment(namespace: string, name: string, containers: Record<string, string>, extra: { replicas?: number; annotations?: Record<string, string> } = {}): void {
    const replicas = extra.replicas ?? 2;
    const object = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        generation: 1,
        creationTimestamp: new Date().toISOString(),
        labels: { app: name },
        annotations: { 'deployment.kubernetes.io/revision': '1', ...extra.annotations },
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: Object.entries(containers).map(([container, image]) => ({ name: container, image, resources: {} })) },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}-1" has successfully progressed.` },
        ],
      },
    };
    this.deployments.set(`${namespace}/${name}`, { object, script: { outcome: 'complete', afterPolls: 0 }, pollsSinceChange: 0 });
  }

  deployment(namespace: string, name: string): Json {
    return clone(this.deployments.get(`${namespace}/${name}`)?.object);
  }

  /** The images of a Deployment's containers, by container name. */
  images(namespace: string, name: string): Record<string, string> {
    const containers: Json[] = this.deployments.get(`${namespace}/${name}`)?.object.spec.template.spec.containers ?? [];
    return Object.fromEntries(containers.map((c) => [c.name, c.image]));
  }

  /** Sets an annotation as another writer (kubectl, another Stagecraft) would. */
  annotate(namespace: string, name: string, annotations: Record<string, string>): void {
    const state = this.deployments.get(`${namespace}/${name}`)!;
    state.object.metadata.annotations = { ...state.object.metadata.annotations, ...annotations };
    state.object.metadata.resourceVersion = this.nextVersion();
  }

  job(namespace: string, name: string): Json {
    return clone(this.jobs.get(`${namespace}/${name}`)?.object);
  }

  jobNames(namespace: string): string[] {
    return [...this.jobs.keys()].filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1));
  }

  callsTo(method: string, pathPart: string): RecordedKubeCall[] {
    return this.calls.filter((c) => c.method === method && c.path.includes(pathPart));
  }

  private nextVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const contentType = req.headers['content-type']?.split(';')[0]?.trim() ?? null;
    let body: Json = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const call: RecordedKubeCall = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType, body, status: 0 };
    this.calls.push(call);
    const send = (code: number, payload: Json, type = 'application/json') => {
      call.status = code;
      res.writeHead(code, { 'content-type': type });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    try {
      this.options.onRequest?.(call, this);
      this.route(call, send, res);
    } catch (err) {
      send(500, status(500, 'InternalError', `fake kube server: ${(err as Error).message}`));
    }
  }

  private route(call: RecordedKubeCall, send: (code: number, payload: Json, type?: string) => void, res: ServerResponse): void {
    const { method, path } = call;
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/))) {
      const [, namespace, name] = m as [string, string, string];
      const state = this.deployments.get(`${namespace}/${name}`);
      if (!state) {
        send(404, status(404, 'NotFound', `deployments.apps "${name}" not found`, { name, group: 'apps', kind: 'deployments' }));
        return;
      }
      if (method === 'GET') {
        this.progressRollout(state);
        send(200, state.object);
        return;
      }
      if (method === 'PATCH') {
        this.patchDeployment(state, call, send);
        return;
      }
    }
    if ((m = path.match(/^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/)) && method === 'POST') {
      this.createJob(m[1]!, call, send);
      return;
    }
    if ((m = path.match(/^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/))) {
      const [, namespace, name] = m as [string, string, string];
      const state = this.jobs.get(`${namespace}/${name}`);
      if (!state) {
        send(404, status(404, 'NotFound', `jobs.batch "${name}" not found`, { name, group: 'batch', kind: 'jobs' }));
        return;
      }
      if (method === 'GET') {
        this.progressJob(state);
        send(200, state.object);
        return;
      }
      if (method === 'DELETE') {
        this.jobs.delete(`${namespace}/${name}`);
        const propagation = call.query['propagationPolicy'] ?? call.body?.propagationPolicy;
        // Orphan (the default for Jobs through the API) leaves the pods running.
        if (propagation === 'Background' || propagation === 'Foreground') this.deletedPods.push(state.pod);
        else this.orphanedPods.push(state.pod);
        send(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'batch', kind: 'jobs', uid: state.object.metadata.uid } });
        return;
      }
    }
    if ((m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods$/)) && method === 'GET') {
      const namespace = m[1]!;
      const items = [...this.jobs.values()]
        .map((j) => j.pod)
        .filter((pod) => pod.metadata.namespace === namespace && matchesSelector(pod.metadata.labels, call.query['labelSelector']));
      send(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(this.resourceVersion) }, items });
      return;
    }
    if ((m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/)) && method === 'GET') {
      const [, namespace, name] = m as [string, string, string];
      const job = [...this.jobs.values()].find((j) => j.pod.metadata.namespace === namespace && j.pod.metadata.name === name);
      if (!job) {
        send(404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
        return;
      }
      const containers: Json[] = job.pod.spec.containers;
      const container = call.query['container'];
      if (container === undefined && containers.length > 1) {
        const names = containers.map((c) => c.name).join(' ');
        send(400, status(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${names}]`));
        return;
      }
      if (container !== undefined && !containers.some((c) => c.name === container)) {
        send(400, status(400, 'BadRequest', `container ${container} is not valid for pod ${name}`));
        return;
      }
      const tailLines = call.query['tailLines'] === undefined ? undefined : Number(call.query['tailLines']);
      const all = job.script.log.match(/[^\n]*\n|[^\n]+$/g) ?? [];
      const pieces = tailLines === undefined ? all : all.slice(Math.max(all.length - tailLines, 0));
      if (call.query['follow'] === 'true') {
        call.status = 200;
        this.followLog(job, pieces, res);
        return;
      }
      send(200, pieces.join(''), 'text/plain');
      return;
    }
    send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
  }

  /** Writes the log's lines in halves over time; ends once all are written and the Job finished. */
  private followLog(job: JobState, pieces: string[], res: ServerResponse): void {
    const fragments = pieces.flatMap((piece) => (piece.length > 1 ? [piece.slice(0, Math.ceil(piece.length / 2)), piece.slice(Math.ceil(piece.length / 2))] : [piece]));
    let end!: (how: 'complete' | 'client' | 'broken' | 'server') => void;
    const stream: FollowStream = { pod: job.pod.metadata.name, lines: 0, how: null, ended: new Promise((resolve) => (end = resolve)) };
    this.followStreams.push(stream);
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    let next = 0;
    const timer = setInterval(() => {
      const breakAfter = job.script.breakFollowAfter;
      if (next < fragments.length) {
        const fragment = fragments[next++]!;
        res.write(fragment);
        if (fragment.endsWith('\n')) stream.lines += 1;
        if (breakAfter !== undefined && stream.lines === breakAfter && (!fragment.endsWith('\n') || next === fragments.length)) {
          finish('broken');
          res.destroy();
        }
        return;
      }
      if (job.object.status.conditions) {
        finish('complete');
        res.end();
      }
    }, this.options.logWriteIntervalMs ?? 2);
    this.streamTimers.add(timer);
    let ended = false;
    const finish = (how: 'complete' | 'client' | 'broken' | 'server') => {
      if (ended) return;
      ended = true;
      stream.how = how;
      clearInterval(timer);
      this.streamTimers.delete(timer);
      end(how);
    };
    res.on('close', () => finish(this.server === null ? 'server' : 'client'));
  }

  private patchDeployment(state: DeploymentState, call: RecordedKubeCall, send: (code: number, payload: Json) => void): void {
    const { name } = state.object.metadata;
    if (call.contentType === null || !PATCH_TYPES.includes(call.contentType)) {
      send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`));
      return;
    }
    if (!isObject(call.body)) {
      send(400, status(400, 'BadRequest', `error decoding patch: json: cannot unmarshal ${Array.isArray(call.body) ? 'array' : typeof call.body} into Go value of type map[string]interface {}`));
      return;
    }
    const wanted = call.body['metadata']?.resourceVersion;
    if (wanted !== undefined && wanted !== state.object.metadata.resourceVersion) {
      send(
        409,
        status(409, 'Conflict', `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
          name,
          group: 'apps',
          kind: 'deployments',
        }),
      );
      return;
    }
    const merge = call.contentType === 'application/merge-patch+json' ? mergePatch : strategicMerge;
    const before = JSON.stringify(state.object.spec);
    const patched = merge(state.object, call.body);
    patched.status = state.object.status;
    patched.metadata.resourceVersion = this.nextVersion();
    if (JSON.stringify(patched.spec) !== before) {
      patched.metadata.generation += 1;
      patched.status = { ...patched.status, updatedReplicas: 0 };
      state.script = this.options.rollout?.(clone(patched)) ?? { outcome: 'complete', afterPolls: 1 };
      state.pollsSinceChange = 0;
    }
    state.object = patched;
    send(200, state.object);
  }

  /** One read of a Deployment in rollout: the controller observes the change, then the script's outcome shows. */
  private progressRollout(state: DeploymentState): void {
    const d = state.object;
    if (d.status.observedGeneration === d.metadata.generation && state.pollsSinceChange >= state.script.afterPolls) return;
    state.pollsSinceChange += 1;
    const replicas: number = d.spec.replicas;
    const progressing = (s: string, reason: string, message: string) => [
      ...d.status.conditions.filter((c: Json) => c.type !== 'Progressing'),
      { type: 'Progressing', status: s, reason, message, lastUpdateTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() },
    ];
    const rs = `${d.metadata.name}-${d.metadata.generation}`;
    if (state.pollsSinceChange < state.script.afterPolls || state.script.outcome === 'hang') {
      d.status = {
        ...d.status,
        observedGeneration: d.metadata.generation,
        replicas: replicas + 1,
        updatedReplicas: 1,
        availableReplicas: replicas,
        unavailableReplicas: 1,
        conditions: progressing('True', 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`),
      };
    } else if (state.script.outcome === 'complete') {
      d.status = {
        ...d.status,
        observedGeneration: d.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        unavailableReplicas: undefined,
        conditions: progressing('True', 'NewReplicaSetAvailable', `ReplicaSet "${rs}" has successfully progressed.`),
      };
    } else {
      d.status = {
        ...d.status,
        observedGeneration: d.metadata.generation,
        replicas: replicas + 1,
        updatedReplicas: 1,
        availableReplicas: replicas,
        unavailableReplicas: 1,
        conditions: progressing('False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs}" has timed out progressing.`),
      };
    }
    d.metadata.resourceVersion = this.nextVersion();
  }

  private createJob(namespace: string, call: RecordedKubeCall, send: (code: number, payload: Json) => void): void {
    const job = call.body;
    const name: string | undefined = job?.metadata?.name;
    if (!isObject(job) || job['kind'] !== 'Job' || job['apiVersion'] !== 'batch/v1' || !name) {
      send(422, status(422, 'Invalid', 'Job.batch is invalid: metadata.name: Required value: name or generateName is required'));
      return;
    }
    if (this.jobs.has(`${namespace}/${name}`)) {
      send(409, status(409, 'AlreadyExists', `jobs.batch "${name}" already exists`, { name, group: 'batch', kind: 'jobs' }));
      return;
    }
    const uid = randomUUID();
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
    const object = clone(job);
    object.metadata = { ...object.metadata, namespace, uid, resourceVersion: this.nextVersion(), generation: 1, creationTimestamp: new Date().toISOString() };
    object.spec.template.metadata = { ...object.spec.template.metadata, labels: { ...object.spec.template.metadata?.labels, ...labels } };
    object.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    object.status = { active: 1, startTime: new Date().toISOString() };
    const pod = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: `${name}-${uid.slice(0, 5)}`, namespace, uid: randomUUID(), labels: object.spec.template.metadata.labels, creationTimestamp: new Date().toISOString() },
      spec: clone(object.spec.template.spec),
      status: { phase: 'Running' },
    };
    this.jobs.set(`${namespace}/${name}`, { object, script: this.options.job?.(clone(object)) ?? { outcome: 'complete', afterPolls: 1, log: 'built\n' }, polls: 0, pod });
    send(201, object);
  }

  private progressJob(state: JobState): void {
    state.polls += 1;
    const { script, object } = state;
    if (state.polls < script.afterPolls || script.outcome === 'hang' || object.status.conditions || (script.until && !script.until())) return;
    const now = new Date().toISOString();
    if (script.outcome === 'complete') {
      object.status = { startTime: object.status.startTime, completionTime: now, succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now },
      ] };
      state.pod.status = { phase: 'Succeeded' };
    } else {
      object.status = { startTime: object.status.startTime, failed: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [
        { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now },
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now },
      ] };
      state.pod.status = { phase: 'Failed' };
    }
    object.metadata.resourceVersion = this.nextVersion();
  }
}
