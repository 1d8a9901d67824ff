import { createGitHubApp } from '@stagecraft/github';
import { GitHubComposeExecutor, HeadsStore, localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { GitHubAppNotConfiguredError } from './errors/github-app-not-configured-error.js';

/** compose runs its configured executor: a local command, or composition through the GitHub API. */
export const composeExecutorFactory: ExecutorFactory = (runtime) => {
  const { config, logger } = runtime;
  const stage = config.stages.compose;
  if (stage.executor !== 'github') return localExecutorFactory('compose')(runtime);
  const { appId, privateKey, baseUrl, repository, mainBranch, stagingBranch } = config.github;
  if (appId === null || !privateKey?.isSet) throw new GitHubAppNotConfiguredError();
  const app = createGitHubApp({
    appId,
    privateKey: privateKey.reveal(),
    baseUrl,
    log: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  const [owner = '', repo = ''] = repository.split('/');
  let installationId: number | undefined;
  return new GitHubComposeExecutor({
    client: async () => {
      installationId ??= (await app.octokit.request('GET /repos/{owner}/{repo}/installation', { owner, repo })).data.id;
      return app.getInstallationOctokit(installationId);
    },
    repo: { owner, repo },
    mainBranch,
    stagingBranch,
    maxAgeMs: stage.maxAge,
    skipLabel: stage.skipLabel,
    trust: config.trust,
    heads: new HeadsStore(runtime.redis('client'), runtime.keys),
    clock: Date.now,
  });
};
