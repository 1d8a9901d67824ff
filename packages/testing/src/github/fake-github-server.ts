import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A local stand-in for api.github.com that speaks its wire format for the endpoints Stagecraft
 * uses: app JWT → installation tokens, pulls (Link pagination), git refs, the merges API (409 on
 * conflict), PR files, issue comments and reactions, check runs of a commit (Link pagination,
 * newest per name), its combined status, and branch protection's required status checks (404
 * when unprotected); with rate-limit headers and a switch to answer 403 + retry-after, as GitHub's
 * secondary limit does. Every request is recorded.
 *
 * One App, installed on one or more repositories (possibly under several owners, each owner its
 * own installation): like GitHub, an installation token sees only its installation's repositories
 * and organisation (any other answers 404), and a repository the App is not installed on is 404.
 */
export interface FakePull {
  number: number;
  head: string;
  author: string;
  base?: string;
  draft?: boolean;
  labels?: string[];
  updatedAt?: string;
  files?: string[];
  /** The merges API answers 409 when this PR is merged onto a ref that holds any of these (PRs of the same repository). */
  conflictsWith?: Array<'main' | number>;
}

export interface RecordedGitHubCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | null;
}

/** A repository the App is installed on. */
export interface FakeRepositoryOptions {
  owner: string;
  repo: string;
  /**
   * The installation covering it. An installation belongs to one account, so repositories sharing
   * an id must share an owner; default: one installation per owner (77 for the first, then 78, …).
   */
  installationId?: number;
  /** The branch `setMain` moves and PRs target by default (default: main). */
  mainBranch?: string;
}

export interface FakeGitHubOptions {
  appId?: number;
  /** One repository (the short form of `repos`): default acme/app on installation 77. */
  owner?: string;
  repo?: string;
  installationId?: number;
  /** Several repositories; the first is the one the top-level helpers (`addPull`, `refs`, …) act on. */
  repos?: FakeRepositoryOptions[];
}

/** What a ref has merged: main, and PR numbers. */
export type FakeRefHolds = Array<'main' | number>;
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  /** ISO times, as GitHub keeps them (whole seconds). */
  started_at: string;
  completed_at: string | null;
  output: unknown;
  details_url: string | null;
  /** Every status it went through (`completed:<conclusion>` once completed). */
  history: string[];
}
export interface FakeDeployment {
  id: number;
  ref: string;
  environment: string;
  production_environment: boolean;
  payload: unknown;
  statuses: Array<{ state: string; description?: string; log_url?: string }>;
}
/** A commit status (`POST /statuses/{sha}` as a CI system sends it); the newest of each context counts. */
export interface FakeStatus {
  id: number;
  sha: string;
  context: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  description: string | null;
  target_url: string | null;
  created_at: string;
  updated_at: string;
}

/** A check run another App (CI) reports, as a test sets it. */
export interface FakeCheckRunSpec {
  /** The commit it checks. */
  head: string;
  name: string;
  /** queued, in_progress, completed (default completed when a conclusion is given, else queued). */
  status?: string;
  conclusion?: string | null;
  /** ISO times (default now). */
  startedAt?: string;
  completedAt?: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
}

/** One repository's state: what GitHub holds for it, and what Stagecraft wrote to it. */
interface RepositoryState {
  owner: string;
  repo: string;
  installationId: number;
  mainBranch: string;
  pulls: Map<number, FakePull>;
  refs: Map<string, { sha: string; holds: FakeRefHolds }>;
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  deployments: FakeDeployment[];
  /** login → repository permission (admin, maintain, write, triage, read); others have none. */
  permissions: Map<string, string>;
  /** "base...head" → changed files. */
  compares: Map<string, string[]>;
  reactions: Array<{ commentId: number; content: string }>;
  /** Every commit a ref has pointed at (what it holds): a branch can be reset to any of them, as on GitHub. */
  commits: Map<string, FakeRefHolds>;
  /** Every head a PR has had → its number: an earlier head can still be merged (a bisection merges the heads a cycle had). */
  pullHeads: Map<string, number>;
  statuses: FakeStatus[];
  /** branch → the contexts its protection requires (classic branch protection); absent: not protected. */
  protection: Map<string, { contexts: string[]; strict: boolean }>;
}

const DEFAULT_INSTALLATION_ID = 77;

export async function startFakeGitHub(opts: FakeGitHubOptions = {}) {
  const appId = opts.appId ?? 4242;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const tokens = new Map<string, number>();
  const calls: RecordedGitHubCall[] = [];
  const repositories: RepositoryState[] = [];
  // Ids are unique across the whole server, as GitHub's are.
  let nextCommentId = 1000;
  let nextId = 5000;
  /** "org/team" → member logins. */
  const teams = new Map<string, Set<string>>();
  /** org → member logins. */
  const orgMembers = new Map<string, Set<string>>();
  let rateLimited = 0;

  function addRepository(spec: FakeRepositoryOptions): FakeRepository {
    const name = `${spec.owner}/${spec.repo}`;
    if (findRepository(name)) throw new Error(`the fake GitHub has ${name} already`);
    const installationId = spec.installationId ?? installationOfOwner(spec.owner) ?? nextInstallationId();
    const sameInstallation = repositories.find((r) => r.installationId === installationId);
    if (sameInstallation && sameInstallation.owner.toLowerCase() !== spec.owner.toLowerCase()) {
      throw new Error(`installation ${installationId} is on ${sameInstallation.owner}: an installation belongs to one account, give ${name} its own id`);
    }
    const mainBranch = spec.mainBranch ?? 'main';
    const state: RepositoryState = {
      owner: spec.owner,
      repo: spec.repo,
      installationId,
      mainBranch,
      pulls: new Map(),
      refs: new Map(),
      comments: [],
      checkRuns: [],
      deployments: [],
      permissions: new Map(),
      compares: new Map(),
      reactions: [],
      commits: new Map(),
      pullHeads: new Map(),
      statuses: [],
      protection: new Map(),
    };
    // The first repository's initial main is what a single-repository fake always had.
    setRef(state, mainBranch, { sha: sha(repositories.length === 0 ? 'main-0' : `${name}:main-0`), holds: ['main'] });
    repositories.push(state);
    return repositoryHandle(state);
  }

  /** Moves a ref, remembering the commit so the ref (or another) can be reset to it later. */
  function setRef(state: RepositoryState, name: string, ref: { sha: string; holds: FakeRefHolds }) {
    state.refs.set(name, ref);
    state.commits.set(ref.sha, [...ref.holds]);
  }

  function installationOfOwner(owner: string): number | undefined {
    return repositories.find((r) => r.owner.toLowerCase() === owner.toLowerCase())?.installationId;
  }

  function nextInstallationId(): number {
    let id = DEFAULT_INSTALLATION_ID;
    while (repositories.some((r) => r.installationId === id)) id++;
    return id;
  }

  /** GitHub's repository paths ignore case. */
  function findRepository(name: string): RepositoryState | undefined {
    return repositories.find((r) => `${r.owner}/${r.repo}`.toLowerCase() === name.toLowerCase());
  }

  const specs = opts.repos ?? [{ owner: opts.owner ?? 'acme', repo: opts.repo ?? 'app', installationId: opts.installationId ?? DEFAULT_INSTALLATION_ID }];
  if (specs.length === 0) throw new Error('the fake GitHub needs at least one repository');
  const handles = specs.map(addRepository);

  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = text ? safeJson(text) : null;
      const call: RecordedGitHubCall = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        auth: req.headers.authorization ?? null,
      };
      calls.push(call);
      try {
        route(req, res, url, body);
      } catch (err) {
        send(res, 500, { message: (err as Error).message });
      }
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL, body: any) {
    // Octokit escapes the slash of {ref}; GitHub reads both forms.
    const path = decodeURIComponent(url.pathname);
    const m = (re: RegExp) => re.exec(`${req.method} ${path}`);
    let match: RegExpExecArray | null;

    if ((match = m(/^POST \/app\/installations\/(\d+)\/access_tokens$/))) {
      if (!validAppJwt(req.headers.authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const id = Number(match[1]);
      if (!repositories.some((r) => r.installationId === id)) return send(res, 404, { message: 'Not Found' });
      const token = `ghs_${randomBytes(16).toString('hex')}`;
      tokens.set(token, id);
      return send(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'selected' });
    }
    if ((match = m(/^GET \/repos\/([^/]+)\/([^/]+)\/installation$/))) {
      if (!validAppJwt(req.headers.authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const state = findRepository(`${match[1]}/${match[2]}`);
      if (!state) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, { id: state.installationId, app_id: appId, account: { login: state.owner }, target_type: 'Organization' });
    }
    const installationToken = /^token (ghs_\w+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const installation = installationToken ? tokens.get(installationToken) : undefined;
    if (installation === undefined) return send(res, 401, { message: 'Bad credentials' });
    if (rateLimited > 0 && req.method !== 'GET') {
      rateLimited--;
      return send(res, 403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
    }
    // An installation sees its own account's organisation only.
    const ownOrg = (org: string) => repositories.some((r) => r.installationId === installation && r.owner.toLowerCase() === org.toLowerCase());
    if ((match = m(/^GET \/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/))) {
      if (!ownOrg(match[1]!)) return send(res, 404, { message: 'Not Found' });
      const members = teams.get(`${match[1]}/${match[2]}`.toLowerCase());
      if (!members?.has(match[3]!.toLowerCase())) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, { state: 'active', role: 'member' });
    }
    if ((match = m(/^GET \/orgs\/([^/]+)\/members\/([^/]+)$/))) {
      if (!ownOrg(match[1]!)) return send(res, 404, { message: 'Not Found' });
      return orgMembers.get(match[1]!.toLowerCase())?.has(match[2]!.toLowerCase()) ? send(res, 204, null) : send(res, 404, { message: 'Not Found' });
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path))) {
      const state = findRepository(`${match[1]}/${match[2]}`);
      // A repository the App is not installed on, or another installation's: GitHub does not say it exists.
      if (!state || state.installationId !== installation) return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return routeRepository(state, `${req.method} ${match[3] ?? ''}`, res, url, body);
    }
    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  function routeRepository(state: RepositoryState, rest: string, res: ServerResponse, url: URL, body: any) {
    const { pulls, refs, comments, checkRuns, deployments, permissions, compares } = state;
    let match: RegExpExecArray | null;
    if ((match = /^GET \/pulls$/.exec(rest))) {
      const open = [...pulls.values()].sort((a, b) => a.number - b.number).map((p) => pullJson(state, p));
      return paginate(res, url, open);
    }
    if ((match = /^GET \/pulls\/(\d+)$/.exec(rest))) {
      const pull = pulls.get(Number(match[1]));
      if (!pull) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, pullJson(state, pull));
    }
    if ((match = /^GET \/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const permission = permissions.get(match[1]!.toLowerCase()) ?? 'none';
      const roleName = permission === 'none' ? 'none' : permission;
      return send(res, 200, { permission: permission === 'maintain' || permission === 'triage' ? (permission === 'maintain' ? 'write' : 'read') : permission, role_name: roleName, user: { login: match[1] } });
    }
    if ((match = /^GET \/compare\/(.+)$/.exec(rest))) {
      const files = compares.get(match[1]!);
      if (!files) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, { status: 'ahead', ahead_by: 1, total_commits: 1, files: files.map((filename) => ({ filename, status: 'modified' })) });
    }
    if ((match = /^GET \/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      // GitHub lists the newest run of each name unless filter=all; a ref may be a branch too.
      const sha = refs.get(match[1]!)?.sha ?? match[1]!;
      const q = (name: string) => url.searchParams.get(name);
      const filter = q('filter') ?? 'latest';
      if (!['latest', 'all'].includes(filter)) return send(res, 422, { message: `filter: ${filter} is not one of latest, all` });
      const all = checkRuns.filter((r) => r.head_sha === sha && (!q('check_name') || r.name === q('check_name')) && (!q('status') || r.status === q('status')));
      const runs = filter === 'all' ? all : all.filter((r) => !all.some((o) => o.name === r.name && o.id > r.id));
      return paginate(res, url, runs.sort((a, b) => b.id - a.id).map(checkRunJson), (page, total) => ({ total_count: total, check_runs: page }));
    }
    if ((match = /^GET \/commits\/([^/]+)\/status$/.exec(rest))) {
      const sha = refs.get(match[1]!)?.sha ?? match[1]!;
      const latest = state.statuses.filter((x) => x.sha === sha && !state.statuses.some((o) => o.sha === sha && o.context === x.context && o.id > x.id)).sort((a, b) => b.id - a.id);
      // The combined state: failure when any failed or errored, pending when any is pending or there are none.
      const combined = latest.some((x) => x.state === 'failure' || x.state === 'error') ? 'failure' : latest.length === 0 || latest.some((x) => x.state === 'pending') ? 'pending' : 'success';
      const api = `${baseUrl}/repos/${state.owner}/${state.repo}`;
      const statusJson = (x: FakeStatus) => ({ ...x, url: `${api}/statuses/${sha}`, node_id: `SC_${x.id}`, avatar_url: null, creator: { login: 'octo-ci[bot]' } });
      return paginate(res, url, latest.map(statusJson), (page, total) => ({
        state: combined,
        statuses: page,
        sha,
        total_count: total,
        repository: { full_name: `${state.owner}/${state.repo}` },
        commit_url: `${api}/commits/${sha}`,
        url: `${api}/commits/${sha}/status`,
      }));
    }
    if ((match = /^GET \/branches\/(.+)\/protection\/required_status_checks$/.exec(rest))) {
      if (!refs.has(match[1]!)) return send(res, 404, { message: 'Branch not found' });
      const protection = state.protection.get(match[1]!);
      if (!protection) return send(res, 404, { message: 'Branch not protected' });
      const api = `${baseUrl}/repos/${state.owner}/${state.repo}/branches/${match[1]}/protection/required_status_checks`;
      return send(res, 200, { url: api, strict: protection.strict, contexts: protection.contexts, contexts_url: `${api}/contexts`, checks: protection.contexts.map((context) => ({ context, app_id: null })) });
    }
    if (/^POST \/check-runs$/.test(rest)) {
      if (!body?.name || !body?.head_sha) return send(res, 422, { message: 'Invalid request: name and head_sha are required' });
      const status = body.status ?? (body.conclusion ? 'completed' : 'queued');
      const run: FakeCheckRun = {
        id: nextId++,
        name: String(body.name),
        head_sha: String(body.head_sha),
        external_id: body.external_id ?? null,
        status,
        conclusion: body.conclusion ?? null,
        started_at: body.started_at ?? githubTime(),
        completed_at: status === 'completed' ? (body.completed_at ?? githubTime()) : null,
        output: body.output ?? null,
        details_url: body.details_url ?? null,
        history: [],
      };
      run.history.push(run.status === 'completed' ? `completed:${run.conclusion}` : run.status);
      checkRuns.push(run);
      return send(res, 201, checkRunJson(run));
    }
    if ((match = /^PATCH \/check-runs\/(\d+)$/.exec(rest))) {
      // A check run id of another repository is not found through this one.
      const run = checkRuns.find((r) => r.id === Number(match![1]));
      if (!run) return send(res, 404, { message: 'Not Found' });
      if (body?.status === 'completed' && !body?.conclusion) return send(res, 422, { message: 'conclusion is required when status is completed' });
      Object.assign(run, {
        ...(body?.status ? { status: body.status } : {}),
        ...(body?.conclusion ? { conclusion: body.conclusion, status: 'completed', completed_at: body.completed_at ?? githubTime() } : {}),
        ...(body?.output ? { output: body.output } : {}),
        ...(body?.details_url ? { details_url: body.details_url } : {}),
        ...(body?.external_id !== undefined ? { external_id: body.external_id } : {}),
      });
      const entry = run.status === 'completed' ? `completed:${run.conclusion}` : run.status;
      if (run.history.at(-1) !== entry) run.history.push(entry);
      return send(res, 200, checkRunJson(run));
    }
    if (/^GET \/deployments$/.test(rest)) {
      const list = deployments.filter((d) => (!url.searchParams.get('sha') || d.ref === url.searchParams.get('sha')) && (!url.searchParams.get('environment') || d.environment === url.searchParams.get('environment')));
      return send(res, 200, list.map(({ statuses: _s, ...d }) => ({ ...d, sha: d.ref })));
    }
    if (/^POST \/deployments$/.test(rest)) {
      if (!body?.ref) return send(res, 422, { message: 'ref is required' });
      const d: FakeDeployment = { id: nextId++, ref: String(body.ref), environment: String(body.environment ?? 'production'), production_environment: body.production_environment === true, payload: body.payload ?? {}, statuses: [] };
      deployments.push(d);
      return send(res, 201, { id: d.id, ref: d.ref, sha: d.ref, environment: d.environment, payload: d.payload });
    }
    if ((match = /^POST \/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const d = deployments.find((x) => x.id === Number(match![1]));
      if (!d) return send(res, 404, { message: 'Not Found' });
      d.statuses.push({ state: String(body?.state), ...(body?.description ? { description: body.description } : {}), ...(body?.log_url ? { log_url: body.log_url } : {}) });
      return send(res, 201, { id: nextId++, state: body?.state });
    }
    if ((match = /^GET \/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(match[1]);
      return paginate(res, url, comments.filter((c) => c.issue === issue).map((c) => ({ id: c.id, body: c.body, user: { login: c.user } })));
    }
    if ((match = /^GET \/pulls\/(\d+)\/files$/.exec(rest))) {
      const pull = pulls.get(Number(match[1]));
      if (!pull) return send(res, 404, { message: 'Not Found' });
      return paginate(res, url, (pull.files ?? []).map((filename) => ({ filename, status: 'modified', sha: sha(filename) })));
    }
    if ((match = /^GET \/git\/ref\/heads\/(.+)$/.exec(rest))) {
      const ref = refs.get(match[1]!);
      if (!ref) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, refJson(match[1]!, ref.sha));
    }
    if ((match = /^PATCH \/git\/refs\/heads\/(.+)$/.exec(rest))) {
      const holds = state.commits.get(String(body?.sha));
      if (!holds) return send(res, 422, { message: 'Object does not exist' });
      if (!refs.has(match[1]!)) return send(res, 422, { message: 'Reference does not exist' });
      setRef(state, match[1]!, { sha: String(body.sha), holds: [...holds] });
      return send(res, 200, refJson(match[1]!, String(body.sha)));
    }
    if (/^POST \/git\/refs$/.test(rest)) {
      const name = String(body?.ref ?? '').replace(/^refs\/heads\//, '');
      if (refs.has(name)) return send(res, 422, { message: 'Reference already exists' });
      const holds = state.commits.get(String(body?.sha));
      if (!holds) return send(res, 422, { message: 'Object does not exist' });
      setRef(state, name, { sha: String(body.sha), holds: [...holds] });
      return send(res, 201, refJson(name, String(body.sha)));
    }
    if ((match = /^DELETE \/git\/refs\/heads\/(.+)$/.exec(rest))) {
      if (!refs.delete(match[1]!)) return send(res, 422, { message: 'Reference does not exist' });
      return send(res, 204, null);
    }
    if (/^POST \/merges$/.test(rest)) {
      const baseRef = refs.get(String(body?.base));
      // A head the PR has now, or had before a push (the commit is still there to merge).
      const number = [...pulls.values()].find((p) => p.head === body?.head)?.number ?? state.pullHeads.get(String(body?.head));
      if (!baseRef || number === undefined) return send(res, 404, { message: 'Base or head does not exist' });
      if (baseRef.holds.includes(number)) return send(res, 204, null);
      if ((pulls.get(number)?.conflictsWith ?? []).some((c) => baseRef.holds.includes(c))) return send(res, 409, { message: 'Merge conflict' });
      const merged = sha(`${baseRef.sha}+${String(body.head)}`);
      setRef(state, String(body.base), { sha: merged, holds: [...baseRef.holds, number] });
      return send(res, 201, { sha: merged, commit: { message: body?.commit_message ?? '' } });
    }
    if ((match = /^POST \/issues\/(\d+)\/comments$/.exec(rest))) {
      const comment = { id: nextCommentId++, issue: Number(match[1]), body: String(body?.body ?? ''), user: 'stagecraft[bot]' };
      comments.push(comment);
      return send(res, 201, { id: comment.id, body: comment.body, user: { login: comment.user } });
    }
    if ((match = /^PATCH \/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = comments.find((c) => c.id === Number(match![1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = String(body?.body ?? '');
      return send(res, 200, { id: comment.id, body: comment.body });
    }
    if ((match = /^POST \/issues\/(\d+)\/labels$/.exec(rest))) {
      // Only PRs are issues here; GitHub creates a label it does not know yet.
      const pull = pulls.get(Number(match[1]));
      if (!pull) return send(res, 404, { message: 'Not Found' });
      if (!Array.isArray(body?.labels)) return send(res, 422, { message: 'Invalid request: labels must be an array' });
      pull.labels = [...new Set([...(pull.labels ?? []), ...body.labels.map(String)])];
      return send(res, 200, pull.labels.map((name) => ({ name })));
    }
    if ((match = /^DELETE \/issues\/(\d+)\/labels\/(.+)$/.exec(rest))) {
      // GitHub answers 404 "Label does not exist" when the issue does not carry it.
      const pull = pulls.get(Number(match[1]));
      if (!pull || !(pull.labels ?? []).includes(match[2]!)) return send(res, 404, { message: 'Label does not exist' });
      pull.labels = (pull.labels ?? []).filter((l) => l !== match![2]);
      return send(res, 200, pull.labels.map((name) => ({ name })));
    }
    if ((match = /^POST \/issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
      if (!['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].includes(String(body?.content))) return send(res, 422, { message: 'Invalid reaction content' });
      state.reactions.push({ commentId: Number(match[1]), content: String(body.content) });
      return send(res, 201, { id: nextId++, content: body.content });
    }
    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  /** Link-header pages of `items`; `wrap` gives the body of endpoints that hold the page in an object (check runs, statuses). */
  function paginate(res: ServerResponse, url: URL, items: unknown[], wrap?: (page: unknown[], total: number) => unknown) {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      return `<${baseUrl}${u.pathname}${u.search}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    const slice = items.slice((page - 1) * perPage, page * perPage);
    send(res, 200, wrap ? wrap(slice, items.length) : slice, links.length ? { link: links.join(', ') } : {});
  }

  function pullJson(state: RepositoryState, p: FakePull) {
    return {
      number: p.number,
      state: 'open',
      draft: p.draft ?? false,
      user: { login: p.author },
      head: { sha: p.head, ref: `pr-${p.number}` },
      base: { ref: p.base ?? state.mainBranch, repo: { full_name: `${state.owner}/${state.repo}` } },
      labels: (p.labels ?? []).map((name) => ({ name })),
      updated_at: p.updatedAt ?? new Date().toISOString(),
    };
  }

  function checkRunJson(r: FakeCheckRun) {
    const { history: _h, ...run } = r;
    return run;
  }

  function refJson(name: string, refSha: string) {
    return { ref: `refs/heads/${name}`, object: { sha: refSha, type: 'commit' } };
  }

  function validAppJwt(header: string | undefined): boolean {
    const jwt = /^bearer (.+)$/i.exec(header ?? '')?.[1];
    const [h, p, s] = jwt?.split('.') ?? [];
    if (!h || !p || !s) return false;
    const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'));
    const claims = safeJson(Buffer.from(p, 'base64url').toString()) as { iss?: unknown; exp?: number } | null;
    return ok && String(claims?.iss) === String(appId) && (claims?.exp ?? 0) * 1000 > Date.now();
  }

  function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    res.end(status === 204 || payload === null ? undefined : JSON.stringify(payload));
  }

  /** What a test shapes and reads of one repository. */
  function repositoryHandle(state: RepositoryState): FakeRepository {
    const name = `${state.owner}/${state.repo}`;
    const prefix = `/repos/${name}/`.toLowerCase();
    return {
      /** `owner/name` as the fake was given it. */
      name,
      owner: state.owner,
      repo: state.repo,
      installationId: state.installationId,
      mainBranch: state.mainBranch,
      comments: state.comments,
      refs: state.refs,
      checkRuns: state.checkRuns,
      deployments: state.deployments,
      reactions: state.reactions,
      statuses: state.statuses,
      get calls(): RecordedGitHubCall[] {
        return calls.filter((c) => decodeURIComponent(c.path).toLowerCase().startsWith(prefix));
      },
      setPermission(login: string, permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read') {
        state.permissions.set(login.toLowerCase(), permission);
      },
      setCompare(base: string, head: string, files: string[]) {
        state.compares.set(`${base}...${head}`, files);
      },
      pull(number: number) {
        return state.pulls.get(number);
      },
      addPull(pull: FakePull) {
        state.pulls.set(pull.number, pull);
        state.pullHeads.set(pull.head, pull.number);
      },
      /** Closes a PR: the pulls API no longer lists it. */
      closePull(number: number) {
        state.pulls.delete(number);
      },
      setMain(mainSha: string) {
        setRef(state, state.mainBranch, { sha: mainSha, holds: ['main'] });
      },
      addCheckRun(spec: FakeCheckRunSpec): FakeCheckRun {
        const status = spec.status ?? (spec.conclusion ? 'completed' : 'queued');
        const run: FakeCheckRun = {
          id: nextId++,
          name: spec.name,
          head_sha: spec.head,
          external_id: null,
          status,
          conclusion: status === 'completed' ? (spec.conclusion ?? 'success') : null,
          started_at: spec.startedAt ?? githubTime(),
          completed_at: status === 'completed' ? (spec.completedAt ?? githubTime()) : null,
          output: null,
          details_url: null,
          history: [],
        };
        run.history.push(run.status === 'completed' ? `completed:${run.conclusion}` : run.status);
        state.checkRuns.push(run);
        return run;
      },
      setStatus(sha: string, context: string, value: FakeStatus['state'], more: { description?: string; targetUrl?: string; at?: string } = {}): FakeStatus {
        const at = more.at ?? githubTime();
        const status: FakeStatus = { id: nextId++, sha, context, state: value, description: more.description ?? null, target_url: more.targetUrl ?? null, created_at: at, updated_at: at };
        state.statuses.push(status);
        return status;
      },
      protectBranch(branch: string, contexts: string[], options: { strict?: boolean } = {}) {
        state.protection.set(branch, { contexts: [...contexts], strict: options.strict ?? false });
      },
      unprotectBranch(branch: string) {
        state.protection.delete(branch);
      },
    };
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const first = handles[0]!;
  const helpers = {
    setPermission: first.setPermission,
    setCompare: first.setCompare,
    pull: first.pull,
    addPull: first.addPull,
    closePull: first.closePull,
    setMain: first.setMain,
    addCheckRun: first.addCheckRun,
    setStatus: first.setStatus,
    protectBranch: first.protectBranch,
    unprotectBranch: first.unprotectBranch,
  };

  return {
    baseUrl,
    appId,
    privateKey: privateKeyPem,
    /** Every request, to any repository. */
    calls,
    /** The repositories the App is installed on, the first being the one the helpers below act on. */
    repositories: handles,
    /** One installed repository by `owner/name` (any case); throws for one the fake does not have. */
    repository(name: string): FakeRepository {
      const found = handles.find((h) => h.name.toLowerCase() === name.toLowerCase());
      if (!found) throw new Error(`the fake GitHub has no repository ${name} (it has ${handles.map((h) => h.name).join(', ')})`);
      return found;
    },
    /** Installs the App on one more repository. */
    addRepository(spec: FakeRepositoryOptions): FakeRepository {
      const handle = addRepository(spec);
      handles.push(handle);
      return handle;
    },
    // The first repository, as a single-repository fake always had it.
    owner: first.owner,
    repo: first.repo,
    installationId: first.installationId,
    comments: first.comments,
    refs: first.refs,
    checkRuns: first.checkRuns,
    deployments: first.deployments,
    ...helpers,
    addTeamMember(team: string, login: string) {
      const members = teams.get(team.toLowerCase()) ?? new Set<string>();
      members.add(login.toLowerCase());
      teams.set(team.toLowerCase(), members);
    },
    /** A member of `org` (default: the first repository's owner). */
    addOrgMember(login: string, org: string = first.owner) {
      const members = orgMembers.get(org.toLowerCase()) ?? new Set<string>();
      members.add(login.toLowerCase());
      orgMembers.set(org.toLowerCase(), members);
    },
    /** The next `count` writes answer 403 with retry-after, like GitHub's secondary rate limit. */
    rateLimitNextWrites(count: number) {
      rateLimited = count;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

/** One repository of the fake: what a test shapes (`addPull`, `setMain`, …) and reads (`refs`, `comments`, …). */
export interface FakeRepository {
  /** `owner/name` as the fake was given it. */
  readonly name: string;
  readonly owner: string;
  readonly repo: string;
  readonly installationId: number;
  readonly mainBranch: string;
  readonly comments: FakeComment[];
  readonly refs: Map<string, { sha: string; holds: FakeRefHolds }>;
  readonly checkRuns: FakeCheckRun[];
  readonly deployments: FakeDeployment[];
  readonly reactions: Array<{ commentId: number; content: string }>;
  /** The requests made to this repository's endpoints. */
  readonly calls: RecordedGitHubCall[];
  setPermission(login: string, permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read'): void;
  setCompare(base: string, head: string, files: string[]): void;
  pull(number: number): FakePull | undefined;
  addPull(pull: FakePull): void;
  /** Closes a PR: the pulls API no longer lists it. */
  closePull(number: number): void;
  setMain(mainSha: string): void;
  /** Another App's (CI's) check run on a commit; a second one of a name is a re-run (GitHub lists the newest). */
  addCheckRun(spec: FakeCheckRunSpec): FakeCheckRun;
  /** A commit status of `context` on `sha`, as a CI system posts it (the newest of each context counts). */
  setStatus(sha: string, context: string, state: FakeStatus['state'], more?: { description?: string; targetUrl?: string; at?: string }): FakeStatus;
  /** Classic branch protection of `branch`, requiring these status checks (names of check runs or status contexts). */
  protectBranch(branch: string, contexts: string[], options?: { strict?: boolean }): void;
  unprotectBranch(branch: string): void;
  /** Every commit status posted, oldest first. */
  readonly statuses: FakeStatus[];
}

/** Now as GitHub writes times: ISO, whole seconds. */
function githubTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
