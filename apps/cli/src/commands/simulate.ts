import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, policySettingsOf, type StagecraftConfig } from '@stagecraft/config';
import { formatDuration, formatTimeline, parseEventsJsonl, simulate } from '@stagecraft/policy';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { CliFailure } from '../errors/cli-failure.js';
import { findRepoRoot } from '../repo-root.js';
import { resolveConfigPath } from '@stagecraft/launcher';

/**
 * `stagecraft simulate`: replays a recorded event history through decide() with the config's
 * policy settings and prints the cycles it would have run. Nothing is contacted.
 */
export function simulateCommand(cmd: Extract<CliCommand, { name: 'simulate' }>, io: CliIo): number {
  const path = resolveConfigPath(cmd.configPath, io.env, io.cwd, findRepoRoot());
  const config = loadConfig({ ...(path !== null ? { path } : {}), env: io.env });
  const environments = Object.entries(config.environments);
  const env = environments.find(([, e]) => e.auto)?.[0];
  if (env === undefined) {
    throw new CliFailure('no environment has auto: true, so no change would ever start a cycle: set it on the staging environment', 2);
  }

  const file = resolve(io.cwd, cmd.eventsPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let events: ReturnType<typeof parseEventsJsonl>;
  try {
    events = parseEventsJsonl(text);
  } catch (err) {
    throw new CliFailure(`${cmd.eventsPath}: ${(err as Error).message}`, 2);
  }

  const { policy } = config;
  const timeline = simulate({
    settings: policySettingsOf(config),
    env,
    events,
    cycleDurationMs: cmd.cycleDurationMs,
  });
  if (timeline.length === 0) {
    io.out(`${cmd.eventsPath}: no event in it schedules, starts or refuses anything\n`);
    return 0;
  }
  io.out(`${env}, ${describeSettings(policy)}, cycles taking ${formatDuration(cmd.cycleDurationMs, { exact: true })} unless the history says\n\n`);
  io.out(`${formatTimeline(timeline)}\n`);
  return 0;
}

function describeSettings(p: StagecraftConfig['policy']): string {
  const d = (ms: number) => formatDuration(ms, { exact: true });
  return `settle ${d(p.settle)} (max ${d(p.settleMax)}), throttle ${d(p.throttle)}, full every ${d(p.fullInterval)}, idle check after ${d(p.idleCheck)}, ${p.maxRestarts} restart${p.maxRestarts === 1 ? '' : 's'}`;
}
