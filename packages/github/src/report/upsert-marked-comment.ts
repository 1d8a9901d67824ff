import type { GitRequestClient } from '../compose/compose-staging.js';
import type { PaginatingClient } from '../pulls/list-open-pull-requests.js';

export type CommentClient = GitRequestClient & PaginatingClient;

/**
 * The one comment on a PR that carries `marker`: edited when its id is known, else looked up by
 * the marker (a crash after posting must not make a second one), else created. Returns its id.
 */
export async function upsertMarkedComment(
  client: CommentClient,
  repo: { owner: string; repo: string },
  opts: { issue: number; marker: string; body: string; knownId: number | null },
): Promise<number> {
  const body = `${opts.marker}\n${opts.body}`;
  if (opts.knownId !== null) {
    try {
      await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: opts.knownId, body });
      return opts.knownId;
    } catch (err) {
      // Someone deleted it: fall through and post a new one.
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }
  const existing = await findMarkedComment(client, repo, opts.issue, opts.marker);
  if (existing !== null) {
    await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: existing, body });
    return existing;
  }
  const created = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: opts.issue, body });
  return Number(created.data.id);
}

async function findMarkedComment(client: PaginatingClient, repo: { owner: string; repo: string }, issue: number, marker: string): Promise<number | null> {
  const comments = await client.paginate<{ id: number; body?: string }>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...repo,
    issue_number: issue,
    per_page: 100,
  });
  return comments.find((c) => c.body?.startsWith(marker))?.id ?? null;
}
