import type { GitHubApp, InstallationOctokit } from './create-github-app.js';

/**
 * An installation client for one repository: the installation id comes with each webhook, and
 * is looked up once through the app JWT when a caller has none (a stage worker, say).
 */
export function installationClient(app: GitHubApp, repo: { owner: string; repo: string }) {
  let known: number | undefined;
  return async (installationId?: number | null): Promise<InstallationOctokit> => {
    known = installationId ?? known ?? (await app.octokit.request('GET /repos/{owner}/{repo}/installation', repo)).data.id;
    return app.getInstallationOctokit(known!);
  };
}
