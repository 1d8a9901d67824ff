import { loadConfig } from '@stagecraft/config';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { CliFailure } from '../errors/cli-failure.js';
import { findRepoRoot } from '../repo-root.js';
import { resolveConfigPath } from '@stagecraft/launcher';
import { DashboardClient } from '../status/dashboard-client.js';
import { resolveDashboardToken } from '../status/dashboard-token.js';
import { formatCycleDetail } from '../status/format-cycle-detail.js';
import { formatStatus } from '../status/format-status.js';
import type { StatusSnapshot } from '../status/status-types.js';

const RECENT_CYCLES = 10;

/** `stagecraft status`: what runs, what is next and what ran, per environment, from the dashboard API. */
export async function statusCommand(cmd: Extract<CliCommand, { name: 'status' }>, io: CliIo): Promise<number> {
  const token = resolveDashboardToken(cmd.token, io.env, io.cwd);
  const client = new DashboardClient(cmd.url ?? defaultUrl(cmd.configPath, io), token);

  if (cmd.cycleId !== null) {
    const cycle = await client.cycle(cmd.cycleId);
    if (cycle === null) throw new CliFailure(`the dashboard knows no cycle "${cmd.cycleId}": \`stagecraft status\` lists the recent ones`);
    // A bisection step shows the whole search, which is kept on the failed cycle it bisects.
    const origin = cycle.bisect && !cmd.json ? await client.cycle(cycle.bisect.origin) : null;
    io.out(cmd.json ? `${JSON.stringify(cycle, null, 2)}\n` : formatCycleDetail(cycle, { now: Date.now() }, origin));
    return 0;
  }

  const { environments, repositories, ignoredRepositories, exclusions } = await client.status();
  const lists = await Promise.all(environments.map((e) => client.cycles(e.name, RECENT_CYCLES)));
  const snapshot: StatusSnapshot = {
    environments,
    cycles: Object.fromEntries(environments.map((e, i) => [e.name, lists[i] ?? []])),
    repositories,
    ignoredRepositories,
    exclusions,
  };
  io.out(cmd.json ? `${JSON.stringify(snapshot, null, 2)}\n` : formatStatus(snapshot, { now: Date.now() }));
  return 0;
}

export function defaultUrl(configPath: string | null, io: CliIo): string {
  const path = resolveConfigPath(configPath, io.env, io.cwd, findRepoRoot());
  const config = loadConfig({ ...(path !== null ? { path } : {}), env: io.env });
  return `http://127.0.0.1:${config.apps.dashboard.port}`;
}
