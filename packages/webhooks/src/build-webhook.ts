import { createHash, randomBytes } from 'node:crypto';

export type WebhookName = 'push' | 'pull_request' | 'issue_comment' | 'commit_comment' | 'check_run' | 'check_suite' | 'status' | 'ping';

/** A webhook body as GitHub sends it; callers may change it before sending (e.g. to test a malformed one). */
export type WebhookPayload = Record<string, any>;

interface CommonFields {
  /** `owner/name` (default `Codertocat/Hello-World`, the repository of GitHub's own examples). */
  repository?: string;
  /** The GitHub App installation it is delivered for; null (default) leaves `installation` out, as a repository webhook has it. */
  installationId?: number | null;
  /** Who caused it: the pusher, the PR's author, the commenter (default `Codertocat`). */
  author?: string;
  /** Who GitHub says sent it, when not the author: e.g. someone editing another's comment (default: the author). */
  sender?: string;
}

export interface PushCommitFields {
  id?: string;
  message?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
}

export interface PushWebhookFields extends CommonFields {
  /** The branch pushed to (default `main`). */
  branch?: string;
  /** The commit the branch now points at (`after`; default a random SHA). */
  sha?: string;
  /** Where the branch pointed before (default a random SHA). */
  before?: string;
  /** Files the pushed commit modified (default `README.md`); ignored when `commits` is given. */
  paths?: string[];
  /** The pushed commits, oldest first; the last is `head_commit` and its id defaults to `sha`. */
  commits?: PushCommitFields[];
  /** `repository.pushed_at`, Unix seconds, as GitHub sends it on a push (default the repository's creation). */
  pushedAt?: number;
}

export interface PullRequestWebhookFields extends CommonFields {
  /** opened (default), synchronize, reopened, closed, labeled, … */
  action?: string;
  number?: number;
  /** The PR's head commit (default a random SHA). */
  sha?: string;
  /** The branch it is to be merged into (default `main`). */
  base?: string;
  /** The PR's branch (default `changes`). */
  head?: string;
  labels?: string[];
  draft?: boolean;
  merged?: boolean;
  /** Default `open`, or `closed` for action closed. */
  state?: 'open' | 'closed';
  title?: string;
  body?: string | null;
  /** ISO time (default now). */
  updatedAt?: string;
}

export interface IssueCommentWebhookFields extends CommonFields {
  /** created (default), edited, deleted. */
  action?: string;
  /** The issue or PR commented on (default 1). */
  number?: number;
  /** The comment's text. */
  body?: string;
  /** The text before an edit (`changes.body.from`, action edited). */
  previousBody?: string;
  /** A comment on a pull request (default) or on a plain issue. */
  isPullRequest?: boolean;
  commentId?: number;
}

export interface CommitCommentWebhookFields extends CommonFields {
  action?: string;
  /** The commit commented on (default a random SHA). */
  sha?: string;
  body?: string;
  commentId?: number;
}

export interface CheckRunWebhookFields extends CommonFields {
  /** created (default) or completed; also rerequested, requested_action. */
  action?: string;
  /** The check's name, what `compose.requireChecks` lists (default `ci/build`). */
  name?: string;
  /** The commit it checks (default a random SHA). */
  sha?: string;
  /** queued, in_progress, completed (default: completed for action completed, else queued). */
  status?: string;
  /** success, failure, neutral, cancelled, skipped, timed_out, action_required (default success once completed). */
  conclusion?: string | null;
  /** ISO times (default now; completed_at only once completed). */
  startedAt?: string;
  completedAt?: string;
  /** The branch checked (default `changes`). */
  headBranch?: string;
  /** The open PRs of this repository whose head it is (GitHub leaves out PRs from forks). */
  pullRequests?: number[];
  /** The App that runs the check (default `octo-ci`). */
  app?: string;
}

export interface CheckSuiteWebhookFields extends CommonFields {
  /** completed (default), requested, rerequested. */
  action?: string;
  sha?: string;
  /** Default completed for action completed, else queued. */
  status?: string;
  /** Default success once completed. */
  conclusion?: string | null;
  headBranch?: string;
  pullRequests?: number[];
  app?: string;
}

export interface StatusWebhookFields extends CommonFields {
  /** The commit (default a random SHA). */
  sha?: string;
  /** The status's name, what `compose.requireChecks` lists (default `ci/build`). */
  context?: string;
  /** pending, success (default), failure, error. */
  state?: string;
  description?: string | null;
  targetUrl?: string | null;
  /** ISO time (default now). */
  updatedAt?: string;
}

/** The ping GitHub sends when a webhook is created. */
export type PingWebhookFields = Pick<CommonFields, 'repository'>;

export interface WebhookFieldsByName {
  push: PushWebhookFields;
  pull_request: PullRequestWebhookFields;
  issue_comment: IssueCommentWebhookFields;
  commit_comment: CommitCommentWebhookFields;
  check_run: CheckRunWebhookFields;
  check_suite: CheckSuiteWebhookFields;
  status: StatusWebhookFields;
  ping: PingWebhookFields;
}

export const BUILDABLE_WEBHOOKS = ['push', 'pull_request', 'issue_comment', 'commit_comment', 'check_run', 'check_suite', 'status', 'ping'] as const satisfies readonly WebhookName[];

const DEFAULT_REPOSITORY = 'Codertocat/Hello-World';
const DEFAULT_AUTHOR = 'Codertocat';
// GitHub's examples are from this moment; fixed times keep the payloads reproducible.
const CREATED_AT = '2019-05-15T15:20:33Z';

/**
 * A webhook body shaped like the one GitHub sends for `name`, about the repository, people and
 * commits in `fields`: every field Stagecraft reads, with GitHub's nesting and types, plus the
 * common ones around them (URLs, ids, node ids), so the same payload serves the ingress, the CLI's
 * `demo` and `send-webhook`, and tests. Built in code: GitHub's examples (@octokit/webhooks-examples,
 * 9 MB) stay out of the production image; a unit test checks these payloads against them.
 */
export function buildWebhook<N extends WebhookName>(name: N, fields: WebhookFieldsByName[N] = {} as WebhookFieldsByName[N]): WebhookPayload {
  switch (name) {
    case 'push':
      return pushPayload(fields as PushWebhookFields);
    case 'pull_request':
      return pullRequestPayload(fields as PullRequestWebhookFields);
    case 'issue_comment':
      return issueCommentPayload(fields as IssueCommentWebhookFields);
    case 'commit_comment':
      return commitCommentPayload(fields as CommitCommentWebhookFields);
    case 'check_run':
      return checkRunPayload(fields as CheckRunWebhookFields);
    case 'check_suite':
      return checkSuitePayload(fields as CheckSuiteWebhookFields);
    case 'status':
      return statusPayload(fields as StatusWebhookFields);
    case 'ping':
      return pingPayload(fields as PingWebhookFields);
    default:
      throw new Error(`buildWebhook has no "${String(name)}" payload; use one of ${BUILDABLE_WEBHOOKS.join(', ')}`);
  }
}

function pushPayload(f: PushWebhookFields): WebhookPayload {
  const repo = repository(f);
  const author = f.author ?? DEFAULT_AUTHOR;
  const after = f.sha ?? randomSha();
  const before = f.before ?? randomSha();
  const given = f.commits ?? [{ modified: f.paths ?? ['README.md'] }];
  const commits = given.map((c, i) => {
    const id = c.id ?? (i === given.length - 1 ? after : randomSha());
    return {
      id,
      tree_id: sha1(`tree ${id}`),
      distinct: true,
      message: c.message ?? 'Update the README with new information.',
      timestamp: CREATED_AT,
      url: `https://github.com/${repo.full_name}/commit/${id}`,
      author: gitActor(author),
      committer: gitActor(author),
      added: c.added ?? [],
      removed: c.removed ?? [],
      modified: c.modified ?? [],
    };
  });
  return {
    ref: `refs/heads/${f.branch ?? 'main'}`,
    before,
    after,
    // A push's repository has its times as Unix seconds, unlike every other event's.
    repository: { ...repo, created_at: unixSeconds(CREATED_AT), pushed_at: f.pushedAt ?? unixSeconds(CREATED_AT) },
    pusher: { name: author, email: email(author) },
    sender: user(f.sender ?? author),
    ...installation(f),
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${repo.full_name}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
  };
}

function pullRequestPayload(f: PullRequestWebhookFields): WebhookPayload {
  const repo = repository(f);
  const author = f.author ?? DEFAULT_AUTHOR;
  const owner = repo.owner;
  const action = f.action ?? 'opened';
  const number = f.number ?? 1;
  const head = f.head ?? 'changes';
  const base = f.base ?? 'main';
  const sha = f.sha ?? randomSha();
  const merged = f.merged ?? false;
  const closed = (f.state ?? (action === 'closed' ? 'closed' : 'open')) === 'closed';
  const updatedAt = f.updatedAt ?? new Date().toISOString();
  const api = `https://api.github.com/repos/${repo.full_name}`;
  return {
    action,
    number,
    pull_request: {
      url: `${api}/pulls/${number}`,
      id: numericId(`pull ${repo.full_name}#${number}`),
      node_id: nodeId('PullRequest', `${repo.full_name}#${number}`),
      html_url: `https://github.com/${repo.full_name}/pull/${number}`,
      diff_url: `https://github.com/${repo.full_name}/pull/${number}.diff`,
      patch_url: `https://github.com/${repo.full_name}/pull/${number}.patch`,
      issue_url: `${api}/issues/${number}`,
      number,
      state: closed ? 'closed' : 'open',
      locked: false,
      title: f.title ?? 'Update the README with new information.',
      user: user(author),
      body: f.body === undefined ? 'This is a pretty simple change that we need to pull into main.' : f.body,
      created_at: CREATED_AT,
      updated_at: updatedAt,
      closed_at: closed ? updatedAt : null,
      merged_at: merged ? updatedAt : null,
      merge_commit_sha: merged ? sha1(`merge ${sha}`) : null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      labels: (f.labels ?? []).map((label) => labelObject(repo.full_name, label)),
      milestone: null,
      commits_url: `${api}/pulls/${number}/commits`,
      review_comments_url: `${api}/pulls/${number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${number}/comments`,
      statuses_url: `${api}/statuses/${sha}`,
      head: { label: `${author}:${head}`, ref: head, sha, user: user(author), repo },
      base: { label: `${owner.login}:${base}`, ref: base, sha: sha1(`base ${repo.full_name} ${base}`), user: owner, repo },
      author_association: 'CONTRIBUTOR',
      draft: f.draft ?? false,
      merged,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: merged ? owner : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 1,
      changed_files: 1,
    },
    repository: repo,
    sender: user(f.sender ?? author),
    ...installation(f),
  };
}

function issueCommentPayload(f: IssueCommentWebhookFields): WebhookPayload {
  const repo = repository(f);
  const author = f.author ?? DEFAULT_AUTHOR;
  const number = f.number ?? 1;
  const commentId = f.commentId ?? randomId();
  const api = `https://api.github.com/repos/${repo.full_name}`;
  const html = `https://github.com/${repo.full_name}/${f.isPullRequest === false ? 'issues' : 'pull'}/${number}`;
  const action = f.action ?? 'created';
  return {
    action,
    issue: {
      url: `${api}/issues/${number}`,
      repository_url: api,
      labels_url: `${api}/issues/${number}/labels{/name}`,
      comments_url: `${api}/issues/${number}/comments`,
      events_url: `${api}/issues/${number}/events`,
      html_url: html,
      id: numericId(`issue ${repo.full_name}#${number}`),
      node_id: nodeId('Issue', `${repo.full_name}#${number}`),
      number,
      title: 'Update the README with new information.',
      user: repo.owner,
      labels: [],
      state: 'open',
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: 1,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      closed_at: null,
      author_association: 'OWNER',
      body: 'This is a pretty simple change that we need to pull into main.',
      ...(f.isPullRequest === false
        ? {}
        : {
            pull_request: {
              url: `${api}/pulls/${number}`,
              html_url: `https://github.com/${repo.full_name}/pull/${number}`,
              diff_url: `https://github.com/${repo.full_name}/pull/${number}.diff`,
              patch_url: `https://github.com/${repo.full_name}/pull/${number}.patch`,
            },
          }),
    },
    comment: {
      url: `${api}/issues/comments/${commentId}`,
      html_url: `${html}#issuecomment-${commentId}`,
      issue_url: `${api}/issues/${number}`,
      id: commentId,
      node_id: nodeId('IssueComment', String(commentId)),
      user: user(author),
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      author_association: 'CONTRIBUTOR',
      body: f.body ?? 'Looks good to me.',
    },
    ...(action === 'edited' && f.previousBody !== undefined ? { changes: { body: { from: f.previousBody } } } : {}),
    repository: repo,
    sender: user(f.sender ?? author),
    ...installation(f),
  };
}

function commitCommentPayload(f: CommitCommentWebhookFields): WebhookPayload {
  const repo = repository(f);
  const author = f.author ?? DEFAULT_AUTHOR;
  const sha = f.sha ?? randomSha();
  const commentId = f.commentId ?? randomId();
  return {
    action: f.action ?? 'created',
    comment: {
      url: `https://api.github.com/repos/${repo.full_name}/comments/${commentId}`,
      html_url: `https://github.com/${repo.full_name}/commit/${sha}#commitcomment-${commentId}`,
      id: commentId,
      node_id: nodeId('CommitComment', String(commentId)),
      user: user(author),
      position: null,
      line: null,
      path: null,
      commit_id: sha,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      author_association: 'CONTRIBUTOR',
      body: f.body ?? 'This is a really good change! :+1:',
    },
    repository: repo,
    sender: user(f.sender ?? author),
    ...installation(f),
  };
}

function checkRunPayload(f: CheckRunWebhookFields): WebhookPayload {
  const repo = repository(f);
  const action = f.action ?? 'created';
  const sha = f.sha ?? randomSha();
  const name = f.name ?? 'ci/build';
  const status = f.status ?? (action === 'completed' ? 'completed' : 'queued');
  const completed = status === 'completed';
  const startedAt = f.startedAt ?? new Date().toISOString();
  const id = randomId();
  const api = `https://api.github.com/repos/${repo.full_name}`;
  const suite = checkSuite(repo, f, sha, completed ? 'in_progress' : 'queued', null);
  return {
    action,
    check_run: {
      id,
      node_id: nodeId('CheckRun', String(id)),
      head_sha: sha,
      external_id: '',
      url: `${api}/check-runs/${id}`,
      html_url: `https://github.com/${repo.full_name}/runs/${id}`,
      details_url: `https://${appSlug(f)}.example/runs/${id}`,
      status,
      conclusion: completed ? (f.conclusion === undefined ? 'success' : f.conclusion) : null,
      started_at: startedAt,
      completed_at: completed ? (f.completedAt ?? new Date().toISOString()) : null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${api}/check-runs/${id}/annotations` },
      name,
      check_suite: suite,
      app: app(f),
      pull_requests: pullRequestRefs(repo, f, sha),
    },
    repository: repo,
    sender: user(f.sender ?? f.author ?? DEFAULT_AUTHOR),
    ...installation(f),
  };
}

function checkSuitePayload(f: CheckSuiteWebhookFields): WebhookPayload {
  const repo = repository(f);
  const action = f.action ?? 'completed';
  const sha = f.sha ?? randomSha();
  const status = f.status ?? (action === 'completed' ? 'completed' : 'queued');
  const conclusion = status === 'completed' ? (f.conclusion === undefined ? 'success' : f.conclusion) : null;
  const suite = checkSuite(repo, f, sha, status, conclusion);
  return {
    action,
    check_suite: {
      ...suite,
      latest_check_runs_count: 1,
      check_runs_url: `${suite.url}/check-runs`,
      head_commit: { id: sha, tree_id: sha1(`tree ${sha}`), message: 'Update the README with new information.', timestamp: CREATED_AT },
    },
    repository: repo,
    sender: user(f.sender ?? f.author ?? DEFAULT_AUTHOR),
    ...installation(f),
  };
}

function statusPayload(f: StatusWebhookFields): WebhookPayload {
  const repo = repository(f);
  const sha = f.sha ?? randomSha();
  const author = f.author ?? DEFAULT_AUTHOR;
  const updatedAt = f.updatedAt ?? new Date().toISOString();
  const api = `https://api.github.com/repos/${repo.full_name}`;
  return {
    id: randomId(),
    sha,
    name: repo.full_name,
    target_url: f.targetUrl === undefined ? null : f.targetUrl,
    context: f.context ?? 'ci/build',
    description: f.description === undefined ? null : f.description,
    state: f.state ?? 'success',
    commit: {
      sha,
      node_id: nodeId('Commit', `${repo.full_name}@${sha}`),
      commit: {
        author: { name: author, email: email(author), date: CREATED_AT },
        committer: { name: author, email: email(author), date: CREATED_AT },
        message: 'Update the README with new information.',
        tree: { sha: sha1(`tree ${sha}`), url: `${api}/git/trees/${sha1(`tree ${sha}`)}` },
        url: `${api}/git/commits/${sha}`,
        comment_count: 0,
      },
      url: `${api}/commits/${sha}`,
      html_url: `https://github.com/${repo.full_name}/commit/${sha}`,
      comments_url: `${api}/commits/${sha}/comments`,
      author: user(author),
      committer: user(author),
      parents: [],
    },
    branches: [],
    created_at: updatedAt,
    updated_at: updatedAt,
    repository: repo,
    sender: user(f.sender ?? author),
    ...installation(f),
  };
}

/** The check suite a check run belongs to, or the one a check_suite webhook is about. */
function checkSuite(repo: ReturnType<typeof repository>, f: CheckRunWebhookFields | CheckSuiteWebhookFields, sha: string, status: string, conclusion: string | null) {
  const id = numericId(`suite ${repo.full_name} ${sha} ${appSlug(f)}`);
  return {
    id,
    node_id: nodeId('CheckSuite', String(id)),
    head_branch: f.headBranch ?? 'changes',
    head_sha: sha,
    status,
    conclusion,
    url: `https://api.github.com/repos/${repo.full_name}/check-suites/${id}`,
    before: sha1(`before ${sha}`),
    after: sha,
    pull_requests: pullRequestRefs(repo, f, sha),
    app: app(f),
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
  };
}

/** The PRs a check names: number, head and base, each repository as `{ id, url, name }`. */
function pullRequestRefs(repo: ReturnType<typeof repository>, f: CheckRunWebhookFields | CheckSuiteWebhookFields, sha: string) {
  const short = { id: repo.id, url: repo.url, name: repo.name };
  return (f.pullRequests ?? []).map((number) => ({
    url: `https://api.github.com/repos/${repo.full_name}/pulls/${number}`,
    id: numericId(`pull ${repo.full_name}#${number}`),
    number,
    head: { ref: f.headBranch ?? 'changes', sha, repo: short },
    base: { ref: 'main', sha: sha1(`base ${repo.full_name} main`), repo: short },
  }));
}

function appSlug(f: { app?: string }): string {
  return f.app ?? 'octo-ci';
}

function app(f: { app?: string }) {
  const slug = appSlug(f);
  return {
    id: numericId(`app ${slug}`),
    slug,
    node_id: nodeId('App', slug),
    owner: user('octo-org'),
    name: slug,
    description: '',
    external_url: `https://${slug}.example`,
    html_url: `https://github.com/apps/${slug}`,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    events: [],
  };
}

function pingPayload(f: PingWebhookFields): WebhookPayload {
  const repo = repository(f);
  const hookId = numericId(`hook ${repo.full_name}`);
  const api = `https://api.github.com/repos/${repo.full_name}/hooks/${hookId}`;
  return {
    zen: 'Anything added dilutes everything else.',
    hook_id: hookId,
    hook: {
      type: 'Repository',
      id: hookId,
      name: 'web',
      active: true,
      events: ['*'],
      config: { content_type: 'json', url: 'https://stagecraft.invalid/webhooks', insecure_ssl: '0' },
      updated_at: CREATED_AT,
      created_at: CREATED_AT,
      url: api,
      test_url: `${api}/test`,
      ping_url: `${api}/pings`,
      last_response: { code: null, status: 'unused', message: null },
    },
    repository: repo,
    sender: repo.owner,
  };
}

function repository(f: CommonFields) {
  const fullName = f.repository ?? DEFAULT_REPOSITORY;
  const [ownerLogin = fullName, name = fullName] = fullName.split('/');
  const api = `https://api.github.com/repos/${fullName}`;
  return {
    id: numericId(`repo ${fullName}`),
    node_id: nodeId('Repository', fullName),
    name,
    full_name: fullName,
    private: false,
    owner: user(ownerLogin),
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url: api,
    pulls_url: `${api}/pulls{/number}`,
    issues_url: `${api}/issues{/number}`,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    pushed_at: CREATED_AT,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    default_branch: 'main',
    visibility: 'public',
  };
}

function user(login: string) {
  return {
    login,
    id: numericId(`user ${login}`),
    node_id: nodeId('User', login),
    avatar_url: `https://avatars.githubusercontent.com/u/${numericId(`user ${login}`)}?v=4`,
    gravatar_id: '',
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: 'User',
    site_admin: false,
  };
}

function gitActor(login: string) {
  return { name: login, email: email(login), username: login };
}

function email(login: string): string {
  return `${numericId(`user ${login}`)}+${login}@users.noreply.github.com`;
}

function labelObject(repo: string, name: string) {
  return {
    id: numericId(`label ${repo} ${name}`),
    node_id: nodeId('Label', `${repo} ${name}`),
    url: `https://api.github.com/repos/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    color: 'd73a4a',
    default: false,
    description: null,
  };
}

function installation(f: CommonFields) {
  const id = f.installationId ?? null;
  return id === null ? {} : { installation: { id, node_id: nodeId('Installation', String(id)) } };
}

// Ids derived from names: the same repository or person has the same id in every payload.
function numericId(of: string): number {
  return createHash('sha256').update(of).digest().readUInt32BE(0) % 1_000_000_000;
}

function nodeId(type: string, of: string): string {
  return Buffer.from(`${type}${numericId(`${type} ${of}`)}`).toString('base64');
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function sha1(of: string): string {
  return createHash('sha1').update(of).digest('hex');
}

function randomSha(): string {
  return randomBytes(20).toString('hex');
}

function randomId(): number {
  return randomBytes(4).readUInt32BE(0) % 1_000_000_000;
}
