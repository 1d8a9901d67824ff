/** What composing needs of an Octokit. */
export interface GitRequestClient {
  request(route: string, params: Record<string, unknown>): Promise<{ status: number; data: any }>;
}

export interface Composition {
  mainSha: string;
  stagingSha: string;
  included: Array<{ number: number; sha: string }>;
  /** `with` is 'main' when the PR conflicts with main itself, else the included PR it conflicts with. */
  conflicts: Array<{ number: number; sha: string; with: 'main' | number }>;
}

const SCRATCH = 'stagecraft-scratch';

/**
 * staging = main + each PR head merged through the merges API, oldest first, no git clone.
 * A PR that conflicts is left out and the rest go on; a scratch branch then finds whether it
 * conflicts with main or with an earlier PR, so its author can be told which.
 */
export async function composeStaging(
  client: GitRequestClient,
  repo: { owner: string; repo: string },
  opts: {
    mainBranch: string;
    stagingBranch: string;
    pulls: Array<{ number: number; headSha: string }>;
    /** Start from this commit rather than main's head: a bisection step recomposes main as the failed cycle had it. */
    mainSha?: string;
  },
): Promise<Composition> {
  const mainSha = opts.mainSha ?? (await refSha(client, repo, opts.mainBranch));
  await resetBranch(client, repo, opts.stagingBranch, mainSha);
  const included: Composition['included'] = [];
  const conflicts: Composition['conflicts'] = [];
  let stagingSha = mainSha;
  for (const pr of opts.pulls) {
    const merged = await merge(client, repo, opts.stagingBranch, pr.headSha, `Stagecraft: merge #${pr.number} into ${opts.stagingBranch}`);
    if (merged === 'conflict') {
      conflicts.push({ number: pr.number, sha: pr.headSha, with: await conflictSource(client, repo, mainSha, included, pr.headSha) });
      continue;
    }
    if (merged !== 'up-to-date') stagingSha = merged;
    included.push({ number: pr.number, sha: pr.headSha });
  }
  if (conflicts.length > 0) await deleteBranch(client, repo, SCRATCH);
  return { mainSha, stagingSha, included, conflicts };
}

async function conflictSource(
  client: GitRequestClient,
  repo: { owner: string; repo: string },
  mainSha: string,
  included: Composition['included'],
  headSha: string,
): Promise<'main' | number> {
  await resetBranch(client, repo, SCRATCH, mainSha);
  if ((await merge(client, repo, SCRATCH, headSha, 'Stagecraft: conflict check')) === 'conflict') return 'main';
  for (const earlier of included) {
    await resetBranch(client, repo, SCRATCH, mainSha);
    await merge(client, repo, SCRATCH, earlier.sha, 'Stagecraft: conflict check');
    if ((await merge(client, repo, SCRATCH, headSha, 'Stagecraft: conflict check')) === 'conflict') return earlier.number;
  }
  // Only the combination of several earlier PRs conflicts: name the last one merged before it.
  return included.at(-1)?.number ?? 'main';
}

async function refSha(client: GitRequestClient, repo: { owner: string; repo: string }, branch: string): Promise<string> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repo, ref: `heads/${branch}` });
  return data.object.sha as string;
}

/** Force-moves the branch to sha, creating it when it does not exist yet. */
async function resetBranch(client: GitRequestClient, repo: { owner: string; repo: string }, branch: string, sha: string) {
  try {
    await client.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref: `heads/${branch}`, sha, force: true });
  } catch (err) {
    if ((err as { status?: number }).status !== 422) throw err;
    await client.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: `refs/heads/${branch}`, sha });
  }
}

async function deleteBranch(client: GitRequestClient, repo: { owner: string; repo: string }, branch: string) {
  await client.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref: `heads/${branch}` }).catch(() => undefined);
}

/** The merge commit's SHA, 'up-to-date' (204: already in), or 'conflict' (409). */
async function merge(client: GitRequestClient, repo: { owner: string; repo: string }, base: string, head: string, message: string) {
  try {
    const res = await client.request('POST /repos/{owner}/{repo}/merges', { ...repo, base, head, commit_message: message });
    return res.status === 204 ? 'up-to-date' : (res.data.sha as string);
  } catch (err) {
    if ((err as { status?: number }).status === 409) return 'conflict';
    throw err;
  }
}
