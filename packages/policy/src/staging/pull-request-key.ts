/**
 * One PR among several repositories: `owner/name#12`, the repository in lower case (GitHub names
 * ignore case, webhooks do not always spell them as the config does). The one spelling of a PR in
 * Redis fields and keys.
 */
export function pullRequestKey(repo: string, number: number): string {
  return `${repo.toLowerCase()}#${number}`;
}

/** `#12` when staging has one repository, `acme/api#12` when it has several: how people read a PR. */
export function pullRequestLabel(repo: string, number: number, severalRepositories: boolean): string {
  return severalRepositories ? `${repo}#${number}` : `#${number}`;
}

/** Two spellings of one repository's name (`Acme/API`, `acme/api`) are the same repository. */
export function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
