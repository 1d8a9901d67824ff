import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A local stand-in for api.github.com that speaks its wire format for the endpoints Stagecraft
 * uses: app JWT → installation tokens, pulls (Link pagination), git refs, the merges API (409 on
 * conflict), PR files, issue comments and reactions; with rate-limit headers and a switch to
 * answer 403 + retry-after, as GitHub's secondary limit does. Every request is recorded.
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
  /** The merges API answers 409 when this PR is merged onto a ref that holds any of these. */
  conflictsWith?: Array<'main' | number>;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | null;
}

export async function startFakeGitHub(opts: { appId?: number; owner?: string; repo?: string; installationId?: number } = {}) {
  const appId = opts.appId ?? 4242;
  const installationId = opts.installationId ?? 77;
  const owner = opts.owner ?? 'acme';
  const repo = opts.repo ?? 'app';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const tokens = new Map<string, number>();
  const calls: RecordedCall[] = [];
  const pulls = new Map<number, FakePull>();
  const refs = new Map<string, { sha: string; holds: Array<'main' | number> }>();
  const comments: Array<{ id: number; issue: number; body: string; user: string }> = [];
  let nextCommentId = 1000;
  let rateLimited = 0;
  refs.set('main', { sha: sha('main-0'), holds: ['main'] });

  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = text ? safeJson(text) : null;
      const call: RecordedCall = {
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
      const token = `ghs_${randomBytes(16).toString('hex')}`;
      tokens.set(token, Number(match[1]));
      return send(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    if ((match = m(/^GET \/repos\/([^/]+)\/([^/]+)\/installation$/))) {
      if (!validAppJwt(req.headers.authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      if (match[1] !== owner || match[2] !== repo) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, { id: installationId, app_id: appId, account: { login: owner } });
    }
    const installationToken = /^token (ghs_\w+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!installationToken || !tokens.has(installationToken)) return send(res, 401, { message: 'Bad credentials' });
    if (rateLimited > 0 && req.method !== 'GET') {
      rateLimited--;
      return send(res, 403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
    }
    const base = `/repos/${owner}/${repo}`;
    if (!path.startsWith(base)) return send(res, 404, { message: 'Not Found' });
    const rest = `${req.method} ${path.slice(base.length)}`;

    if ((match = /^GET \/pulls$/.exec(rest))) {
      const open = [...pulls.values()].sort((a, b) => a.number - b.number).map(pullJson);
      return paginate(res, url, open);
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
      const target = [...refs.entries()].find(([, r]) => r.sha === body?.sha);
      if (!target) return send(res, 422, { message: 'Object does not exist' });
      if (!refs.has(match[1]!)) return send(res, 422, { message: 'Reference does not exist' });
      refs.set(match[1]!, { sha: target[1].sha, holds: [...target[1].holds] });
      return send(res, 200, refJson(match[1]!, target[1].sha));
    }
    if (/^POST \/git\/refs$/.test(rest)) {
      const name = String(body?.ref ?? '').replace(/^refs\/heads\//, '');
      if (refs.has(name)) return send(res, 422, { message: 'Reference already exists' });
      const target = [...refs.values()].find((r) => r.sha === body?.sha);
      if (!target) return send(res, 422, { message: 'Object does not exist' });
      refs.set(name, { sha: target.sha, holds: [...target.holds] });
      return send(res, 201, refJson(name, target.sha));
    }
    if ((match = /^DELETE \/git\/refs\/heads\/(.+)$/.exec(rest))) {
      if (!refs.delete(match[1]!)) return send(res, 422, { message: 'Reference does not exist' });
      return send(res, 204, null);
    }
    if (/^POST \/merges$/.test(rest)) {
      const baseRef = refs.get(String(body?.base));
      const pull = [...pulls.values()].find((p) => p.head === body?.head);
      if (!baseRef || !pull) return send(res, 404, { message: 'Base or head does not exist' });
      if (baseRef.holds.includes(pull.number)) return send(res, 204, null);
      if ((pull.conflictsWith ?? []).some((c) => baseRef.holds.includes(c))) return send(res, 409, { message: 'Merge conflict' });
      const merged = sha(`${baseRef.sha}+${pull.head}`);
      refs.set(String(body.base), { sha: merged, holds: [...baseRef.holds, pull.number] });
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
    if (/^POST \/issues\/comments\/\d+\/reactions$/.test(rest)) return send(res, 201, { id: 1, content: body?.content });
    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  function paginate(res: ServerResponse, url: URL, items: unknown[]) {
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
    send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  function pullJson(p: FakePull) {
    return {
      number: p.number,
      state: 'open',
      draft: p.draft ?? false,
      user: { login: p.author },
      head: { sha: p.head, ref: `pr-${p.number}` },
      base: { ref: p.base ?? 'main' },
      labels: (p.labels ?? []).map((name) => ({ name })),
      updated_at: p.updatedAt ?? new Date().toISOString(),
    };
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

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    baseUrl,
    appId,
    owner,
    repo,
    privateKey: privateKeyPem,
    calls,
    comments,
    refs,
    addPull(pull: FakePull) {
      pulls.set(pull.number, pull);
    },
    setMain(mainSha: string) {
      refs.set('main', { sha: mainSha, holds: ['main'] });
    },
    /** The next `count` writes answer 403 with retry-after, like GitHub's secondary rate limit. */
    rateLimitNextWrites(count: number) {
      rateLimited = count;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

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
