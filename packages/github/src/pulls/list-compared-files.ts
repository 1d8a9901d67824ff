import type { GitRequestClient } from '../compose/compose-staging.js';

/** The compare API lists at most 300 files: a list that long may be cut short. */
export const COMPARE_FILES_LIMIT = 300;

/** The paths changed between two commits (renames count old and new), or null when the list may be incomplete. */
export async function listComparedFiles(
  client: GitRequestClient,
  repo: { owner: string; repo: string },
  base: string,
  head: string,
): Promise<string[] | null> {
  const answer = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', { ...repo, basehead: `${base}...${head}`, per_page: 100 });
  const files = (answer.data?.files ?? null) as Array<{ filename: string; previous_filename?: string }> | null;
  if (!Array.isArray(files) || files.length >= COMPARE_FILES_LIMIT) return null;
  return [...new Set(files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])))];
}
