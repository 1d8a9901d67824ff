import type { GitRequestClient } from '../compose/compose-staging.js';

/** Takes a label off an issue or PR; one it does not carry (GitHub's 404 "Label does not exist") is already off. */
export async function removeLabel(client: GitRequestClient, repo: { owner: string; repo: string }, issue: number, label: string): Promise<void> {
  try {
    await client.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...repo, issue_number: issue, name: label });
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
}
