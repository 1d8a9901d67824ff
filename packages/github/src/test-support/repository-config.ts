import type { RepositoryConfig } from '@stagecraft/config';
import { createGitHubApp, type GitHubApp } from '../app/create-github-app.js';
import { RepositoryClients } from '../app/repository-clients.js';

const DAY = 24 * 3600_000;

/** A configured repository as config.repositories holds it, with the defaults a stagecraft.yaml gets (compose rules given in part keep the others). */
export function repositoryConfig(
  name: string,
  over: Partial<Omit<RepositoryConfig, 'name' | 'compose'>> & { compose?: Partial<RepositoryConfig['compose']> } = {},
): RepositoryConfig {
  const { compose, ...rest } = over;
  return { name, mainBranch: 'main', stagingBranch: 'staging', ...rest, compose: { skipLabel: 'staging-skip', maxAge: 14 * DAY, requireChecks: [], ...compose } };
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The real App (Octokit, JWT, throttling) pointed at a fake GitHub, with no spacing between writes. */
export function testApp(github: { appId: number; privateKey: string; baseUrl: string }, log: Partial<typeof silent> = {}): GitHubApp {
  return createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, commentIntervalMs: 0, retryAfterBaseMs: 10, log: { ...silent, ...log } });
}

/** Installation clients for the given repositories (default: the fake's first, acme/app). */
export function testClients(github: { appId: number; privateKey: string; baseUrl: string }, repositories: RepositoryConfig[] = [repositoryConfig('acme/app')]): RepositoryClients {
  return new RepositoryClients(testApp(github), repositories);
}
