import type { PaginatingClient } from './list-open-pull-requests.js';

/** GitHub's PR files API stops at 3,000 files: a list that long may be cut short. */
export const PULL_REQUEST_FILES_LIMIT = 3000;

/** The paths a PR touches (renames count old and new), or null when the list may be incomplete. */
export async function listPullRequestFiles(
  client: PaginatingClient,
  repo: { owner: string; repo: string },
  pr: number,
): Promise<string[] | null> {
  const files = await client.paginate<{ filename: string; previous_filename?: string }>(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    { ...repo, pull_number: pr, per_page: 100 },
  );
  if (files.length >= PULL_REQUEST_FILES_LIMIT) return null;
  return [...new Set(files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])))];
}
