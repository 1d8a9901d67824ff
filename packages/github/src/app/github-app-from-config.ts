import type { StagecraftConfig } from '@stagecraft/config';
import { createGitHubApp } from './create-github-app.js';
import { installationClient } from './installation-client.js';
import type { Logger } from '@stagecraft/telemetry';

/** The configured GitHub App and an installation client for the repository; null when not configured. */
export function githubAppFromConfig(config: StagecraftConfig, logger: Logger) {
  const { appId, privateKey, baseUrl, repository, writeInterval, commentInterval } = config.github;
  if (appId === null || !privateKey?.isSet) return null;
  const app = createGitHubApp({
    appId,
    privateKey: privateKey.reveal(),
    baseUrl,
    writeIntervalMs: writeInterval,
    commentIntervalMs: commentInterval,
    log: { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  const [owner = '', repo = ''] = repository.split('/');
  return { app, repo: { owner, repo }, client: installationClient(app, { owner, repo }) };
}
