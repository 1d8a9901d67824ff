/**
 * The repositories ingress takes webhooks of (config `repositories:`), matched whatever the letter
 * case (GitHub names ignore case, and a webhook spells the repository as GitHub does now). Returns
 * the name as configured, so every event of one repository carries one spelling; null for any other.
 */
export function configuredRepositoryLookup(repositories: ReadonlyArray<{ name: string }>): (repository: string) => string | null {
  const byLowerName = new Map(repositories.map((r) => [r.name.toLowerCase(), r.name]));
  return (repository) => byLowerName.get(repository.toLowerCase()) ?? null;
}
