import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface RecordedApiCall {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
  /** The status answered, or 0 when the connection was dropped. */
  status: number;
}

/** How one submitted test run goes: running for some polls, then its result. */
export interface TestRunScript {
  pollsUntilDone: number;
  result: { status: string; passed?: number; failed?: number; skipped?: number };
}

export interface FakeDeployedApiOptions {
  /** Required as `Authorization: Bearer <token>` on every call (401 otherwise). */
  token?: string;
  /** Work queued when the API is paused… */
  pending?: number;
  /** …and how much of it finishes per status read after the pause (0: never drains). */
  drainPerPoll?: number;
  /** Decides each submitted run from the suite (path segment after /tests/) and body. Default: passes after 1 poll. */
  testRun?: (suite: string, body: unknown) => TestRunScript;
}

interface Run {
  id: string;
  suite: string;
  script: TestRunScript;
  polls: number;
}

/**
 * The system-under-deploy's own API as the HTTP executors see it, on node:http:
 *   POST /admin/pause, POST /admin/resume → { paused }
 *   GET  /admin/status → { paused, queue: { pending } } (pending falls by drainPerPoll per read once paused)
 *   POST /tests/:suite → 201 { id, links: { self: "/runs/:id" } }
 *   GET  /runs/:id → { id, status: "running" } until done, then { id, status, passed, failed, skipped, url }
 * Every call is recorded; `script` makes the next calls to a path answer given statuses (or drop the connection).
 */
export class FakeDeployedApi {
  readonly calls: RecordedApiCall[] = [];
  paused = false;
  pending: number;
  private readonly runs = new Map<string, Run>();
  private readonly scripted = new Map<string, Array<number | 'drop'>>();
  private readonly sockets = new Set<Socket>();
  private nextRun = 1;
  private server: Server | null = null;
  url = '';

  constructor(private readonly options: FakeDeployedApiOptions = {}) {
    this.pending = options.pending ?? 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next calls of `method path` answer these statuses (an error JSON body) or drop the connection, in order. */
  script(method: string, path: string, answers: Array<number | 'drop'>): void {
    this.scripted.set(`${method} ${path}`, [...(this.scripted.get(`${method} ${path}`) ?? []), ...answers]);
  }

  callsTo(method: string, path: string): RecordedApiCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const call: RecordedApiCall = { method, path, authorization: req.headers.authorization ?? null, body, status: 0 };
    this.calls.push(call);
    const send = (status: number, json: unknown) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };

    const queue = this.scripted.get(`${method} ${path}`);
    const answer = queue?.shift();
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    if (answer !== undefined) return send(answer, { error: `scripted ${answer}` });
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return send(401, { error: 'missing or wrong bearer token' });
    }

    if (method === 'POST' && path === '/admin/pause') {
      this.paused = true;
      return send(200, { paused: true });
    }
    if (method === 'POST' && path === '/admin/resume') {
      this.paused = false;
      return send(200, { paused: false });
    }
    if (method === 'GET' && path === '/admin/status') {
      if (this.paused) this.pending = Math.max(0, this.pending - (this.options.drainPerPoll ?? 1));
      return send(200, { paused: this.paused, queue: { pending: this.pending } });
    }
    const submit = /^\/tests\/([\w-]+)$/.exec(path);
    if ((method === 'POST' || method === 'PUT') && submit) {
      const id = `run-${this.nextRun++}`;
      const suite = submit[1]!;
      const script = this.options.testRun?.(suite, body) ?? { pollsUntilDone: 1, result: { status: 'passed', passed: 1, failed: 0, skipped: 0 } };
      this.runs.set(id, { id, suite, script, polls: 0 });
      return send(201, { id, links: { self: `/runs/${id}` } });
    }
    const poll = /^\/runs\/([\w-]+)$/.exec(path);
    if (method === 'GET' && poll) {
      const run = this.runs.get(poll[1]!);
      if (!run) return send(404, { error: `no run ${poll[1]}` });
      run.polls += 1;
      if (run.polls < run.script.pollsUntilDone) return send(200, { id: run.id, status: 'running' });
      return send(200, { id: run.id, ...run.script.result, url: `${this.url}/ui/runs/${run.id}` });
    }
    return send(404, { error: `no route ${method} ${path}` });
  }
}
