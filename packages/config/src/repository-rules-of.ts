import type { RequireChecks } from './schema/require-checks-schema.js';
import type { StagecraftConfig } from './types.js';

/** Each configured repository as the scheduler judges its PRs: its main branch and compose rules, in config order. */
export function repositoryRulesOf(
  config: Pick<StagecraftConfig, 'repositories'>,
): Array<{ name: string; mainBranch: string; skipLabel: string; maxAgeMs: number; requireChecks: RequireChecks }> {
  return config.repositories.map((r) => ({ name: r.name, mainBranch: r.mainBranch, skipLabel: r.compose.skipLabel, maxAgeMs: r.compose.maxAge, requireChecks: r.compose.requireChecks }));
}
