import { checkRunState, commitStatusState } from '@stagecraft/policy';
import { normalizedEventSchema, type NormalizedEvent } from '@stagecraft/queue';
import { parseCommands } from './parse-commands.js';
import { commandArguments } from './command-arguments.js';
import { MalformedWebhookError } from './errors/malformed-webhook-error.js';

export interface WebhookDelivery {
  /** X-GitHub-Event */
  name: string;
  /** X-GitHub-Delivery */
  deliveryId: string;
  receivedAt: number;
  payload: any;
  botName: string;
}

/** Why a webhook leads to no event: a short code for metrics beside the sentence for people. */
export type IgnoreReason = 'ping' | 'unhandled_event' | 'unhandled_action' | 'no_command' | 'own_comment' | 'edited_by_other';

export type NormalizeResult = { event: NormalizedEvent } | { ignored: string; reason: IgnoreReason };

/** GitHub lists at most 20 commits in a push payload; from 20 on the file list may be incomplete. */
export const PUSH_COMMITS_LIMIT = 20;

export const HANDLED_PULL_REQUEST_ACTIONS: ReadonlySet<string> = new Set([
  'opened',
  'synchronize',
  'reopened',
  'closed',
  'ready_for_review',
  'converted_to_draft',
  'labeled',
  'unlabeled',
  'edited',
]);

/**
 * Reduces a webhook to the event the policy needs, or says why it is ignored.
 *
 * A comment that holds several commands yields its first one only: one delivery is one job (its
 * id is the delivery id), and running e.g. `deploy` and `trigger` from one comment would be
 * ambiguous anyway. An edited comment only counts commands it did not already hold before the
 * edit, so fixing a typo does not run a command a second time. Comments by the app itself are
 * ignored, so its own help text cannot trigger it.
 *
 * A command's actor is the webhook's `sender`: on GitHub anyone with write access may edit anyone's
 * comment, so an edit by someone other than the comment's author runs nothing — else a writer could
 * put a command into a maintainer's comment and have it run as the maintainer.
 *
 * @throws MalformedWebhookError when a handled event lacks fields GitHub always sends.
 */
export function normalizeWebhook(input: WebhookDelivery): NormalizeResult {
  const { name, payload } = input;
  if (name === 'ping') return { ignored: 'ping', reason: 'ping' };
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new MalformedWebhookError(name, 'payload is not a JSON object');
  }
  switch (name) {
    case 'push':
      return validated(name, {
        ...envelope(input),
        kind: 'push',
        ref: payload.ref,
        sha: payload.after,
        before: payload.before,
        author: payload.pusher?.name ?? payload.sender?.login,
        paths: pushedPaths(payload.commits),
        pushedAt: pushedAt(payload.repository?.pushed_at),
      });
    case 'pull_request': {
      if (!HANDLED_PULL_REQUEST_ACTIONS.has(payload.action)) {
        return { ignored: `pull_request action ${String(payload.action)} is not handled`, reason: 'unhandled_action' };
      }
      const pr = payload.pull_request;
      return validated(name, {
        ...envelope(input),
        kind: 'pull_request',
        action: payload.action,
        pr: payload.number ?? pr?.number,
        sha: pr?.head?.sha,
        author: pr?.user?.login,
        baseRef: pr?.base?.ref,
        draft: pr?.draft === true,
        merged: pr?.merged === true,
        labels: Array.isArray(pr?.labels) ? pr.labels.map((label: any) => label?.name) : pr?.labels,
        label: payload.action === 'labeled' || payload.action === 'unlabeled' ? payload.label?.name : null,
        updatedAt: pr?.updated_at ?? null,
      });
    }
    case 'issue_comment':
    case 'commit_comment':
      return commentCommand(input);
    case 'check_run':
    case 'check_suite':
    case 'status':
      return checksChanged(input);
    default:
      return { ignored: `event ${name} is not handled`, reason: 'unhandled_event' };
  }
}

function commentCommand(input: WebhookDelivery): NormalizeResult {
  const { name, payload, botName } = input;
  const handled = name === 'issue_comment' ? ['created', 'edited'] : ['created'];
  if (!handled.includes(payload.action)) {
    return { ignored: `${name} action ${String(payload.action)} is not handled`, reason: 'unhandled_action' };
  }
  const comment = payload.comment;
  const author = comment?.user?.login;
  const by = payload.sender?.login;
  if (typeof author === 'string' && [botName, `${botName}[bot]`].some((own) => own.toLowerCase() === author.toLowerCase())) {
    return { ignored: `${name} by ${author} itself`, reason: 'own_comment' };
  }
  if (typeof by !== 'string') throw new MalformedWebhookError(name, 'sender.login: expected a string');
  // GitHub logins are case-insensitive.
  if (payload.action === 'edited' && (typeof author !== 'string' || author.toLowerCase() !== by.toLowerCase())) {
    return { ignored: `${name} of ${String(author)} edited by ${by}: only the author's own edits run commands`, reason: 'edited_by_other' };
  }
  if (typeof comment?.body !== 'string') throw new MalformedWebhookError(name, 'comment.body: expected a string');
  const before = payload.action === 'edited' && typeof payload.changes?.body?.from === 'string'
    ? parseCommands(payload.changes.body.from, botName)
    : [];
  const command = parseCommands(comment.body, botName).find((c) => !before.includes(c));
  if (command === undefined) return { ignored: `${name} holds no new @${botName} command`, reason: 'no_command' };
  const onIssue = name === 'issue_comment';
  return validated(name, {
    ...envelope(input),
    kind: 'command',
    command,
    by,
    pr: onIssue ? payload.issue?.number : null,
    isPullRequest: onIssue ? Boolean(payload.issue?.pull_request) : false,
    commentId: comment.id,
    sha: onIssue ? null : comment.commit_id,
    ...argsOf(commandArguments(comment.body, botName, command)),
  });
}

/**
 * check_run actions that change a run's state (rerequested and requested_action are asks, followed
 * by a `created` run of their own), and the check suite's end, after which GitHub has every run.
 */
export const HANDLED_CHECK_ACTIONS: Readonly<Record<'check_run' | 'check_suite', ReadonlySet<string>>> = {
  check_run: new Set(['created', 'completed']),
  check_suite: new Set(['completed']),
};

/** A check run, check suite or commit status of a commit: what it reports, for the required-checks rule. */
function checksChanged(input: WebhookDelivery): NormalizeResult {
  const { name, payload } = input;
  if (name !== 'status' && !HANDLED_CHECK_ACTIONS[name as 'check_run' | 'check_suite'].has(payload.action)) {
    return { ignored: `${name} action ${String(payload.action)} is not handled`, reason: 'unhandled_action' };
  }
  const run = payload.check_run;
  const sha = name === 'check_run' ? run?.head_sha : name === 'check_suite' ? payload.check_suite?.head_sha : payload.sha;
  const checks =
    name === 'check_run'
      ? [{ type: 'run', name: run?.name, state: typeof run?.status === 'string' ? checkRunState(run.status, run.conclusion) : undefined, at: isoMs(run?.completed_at ?? run?.started_at) }]
      : name === 'status'
        ? [{ type: 'status', name: payload.context, state: typeof payload.state === 'string' ? commitStatusState(payload.state) : undefined, at: isoMs(payload.updated_at ?? payload.created_at) }]
        : [];
  return validated(name, {
    ...envelope(input),
    kind: 'checks',
    source: name,
    sha,
    checks,
  });
}

/** What every event has: its delivery, when it came, and the repository and installation it is about. */
function envelope(input: WebhookDelivery) {
  return { id: input.deliveryId, receivedAt: input.receivedAt, repo: input.payload.repository?.full_name, installationId: input.payload.installation?.id ?? null };
}

/** An ISO time in epoch ms, or undefined (validation then names the field). */
function isoMs(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Files touched by a push, or null when the list cannot be trusted to be complete. */
function pushedPaths(commits: unknown): string[] | null {
  if (!Array.isArray(commits) || commits.length >= PUSH_COMMITS_LIMIT) return null;
  const paths = new Set<string>();
  for (const commit of commits) {
    for (const list of [commit?.added, commit?.modified, commit?.removed]) {
      if (!Array.isArray(list)) return null;
      for (const path of list) paths.add(path);
    }
  }
  return [...paths];
}

/** `repository.pushed_at` in epoch ms: a push payload has Unix seconds, other events an ISO time. */
function pushedAt(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

// Callers pass one object literal with every field (no spread): zod's compiled fast path then
// sees one stable shape per kind, which keeps this at ~1 µs instead of ~20 µs per webhook.
function validated(name: string, candidate: Record<string, unknown>): NormalizeResult {
  const parsed = normalizedEventSchema.safeParse(candidate);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new MalformedWebhookError(name, detail);
  }
  return { event: parsed.data };
}

function argsOf(args: string[]): { args?: string[] } {
  return args.length > 0 ? { args } : {};
}
