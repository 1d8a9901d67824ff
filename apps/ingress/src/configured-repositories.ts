/**
 * The repositories ingress takes webhooks of (config `repositories:`), matched whatever the letter
 * case (GitHub names ignore case, and a webhook spells the repository as GitHub does now). Returns
 * the name as configured, so every event of one repository carries one spelling; null for any other.
 */
export function configuredRepositoryLookup(repositories: ReadonlyArray<{ name: string }>): (repository: string) => string | null {
  const byLowerName = new Map(repositories.map((r) => [r.name.toLowerCase(), r.name]));
  return (repository) => byLowerName.get(repository.toLowerCase()) ?? null;
}

/**
 * Whether a configured repository (its name as configured) requires checks of its PRs
 * (`compose.requireChecks`): check runs, suites and statuses of any other are not worth a queue
 * entry (CI sends many), so ingress answers them 202 without storing them.
 */
export function requiresChecksLookup(repositories: ReadonlyArray<{ name: string; compose?: { requireChecks: readonly string[] | string } }>): (configuredName: string) => boolean {
  // `required` (branch protection) or a non-empty list of names.
  const requiring = new Set(repositories.filter((r) => r.compose !== undefined && (typeof r.compose.requireChecks === 'string' || r.compose.requireChecks.length > 0)).map((r) => r.name));
  return (configuredName) => requiring.has(configuredName);
}
