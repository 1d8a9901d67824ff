import type { StagecraftConfig } from '@stagecraft/config';
import type { Logger } from '@stagecraft/telemetry';
import { createGitHubApp } from './create-github-app.js';
import { RepositoryClients } from './repository-clients.js';

/**
 * The configured GitHub App with an installation client for each configured repository
 * (`clientFor(repo, installationId?)`, `repositories`, `app`); null when the App is not configured.
 */
export function githubAppFromConfig(config: Pick<StagecraftConfig, 'github' | 'repositories'>, logger: Logger): RepositoryClients | null {
  const { appId, privateKey, baseUrl, writeInterval, commentInterval } = config.github;
  if (appId === null || !privateKey?.isSet) return null;
  const app = createGitHubApp({
    appId,
    privateKey: privateKey.reveal(),
    baseUrl,
    writeIntervalMs: writeInterval,
    commentIntervalMs: commentInterval,
    log: { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  return new RepositoryClients(app, config.repositories);
}
