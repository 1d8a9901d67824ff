import type { RepositoryConfig } from '@stagecraft/config';
import { sameRepository } from '@stagecraft/policy';
import type { GitHubApp, InstallationOctokit } from './create-github-app.js';
import { AppNotInstalledError } from '../errors/app-not-installed-error.js';
import { InstallationGoneError } from '../errors/installation-gone-error.js';
import { UnknownRepositoryError } from '../errors/unknown-repository-error.js';

/** What reading and writing a configured repository needs: the list, and a client for each one. */
export interface RepositoryClientSource {
  /** The configured repositories, in config order (the first is the one `mainSha`/`stagingSha` speak of). */
  readonly repositories: readonly RepositoryConfig[];
  /** An installation client for a configured repository (any spelling of its name); see RepositoryClients. */
  clientFor(repo: string, installationId?: number | null): Promise<InstallationOctokit>;
}

/** The configured repository a name means (GitHub names ignore case); throws UnknownRepositoryError for any other. */
export function configuredRepository(source: Pick<RepositoryClientSource, 'repositories'>, name: string): RepositoryConfig {
  const found = source.repositories.find((r) => sameRepository(r.name, name));
  if (!found) throw new UnknownRepositoryError(name, source.repositories.map((r) => r.name));
  return found;
}

const ACCESS_TOKEN_URL = /\/app\/installations\/\d+\/access_tokens$/;

/**
 * One GitHub App installed on several repositories, possibly under several owners, so each
 * repository has its own installation. The installation is looked up once per repository
 * (`GET /repos/{owner}/{repo}/installation`, with the app JWT) and cached for the process; an id
 * that comes with a webhook for the repository seeds or replaces the cached one, and an id GitHub
 * no longer knows (the App was reinstalled) is dropped so the next call looks it up again.
 * Installation tokens are cached by @octokit/auth-app per installation.
 */
export class RepositoryClients implements RepositoryClientSource {
  private readonly installations = new Map<string, number>();
  /** Lookups in flight, so concurrent callers ask GitHub once. */
  private readonly lookups = new Map<string, Promise<number>>();

  constructor(
    readonly app: GitHubApp,
    readonly repositories: readonly RepositoryConfig[],
  ) {
    if (repositories.length === 0) throw new Error('RepositoryClients needs at least one repository (config.repositories is never empty)');
  }

  /** Arrow property: handed around as a plain function (e.g. `clientFor: github.clientFor`). */
  readonly clientFor = async (repo: string, installationId?: number | null): Promise<InstallationOctokit> => {
    const repository = configuredRepository(this, repo);
    const id = await this.installationOf(repository.name, installationId);
    const octokit = await this.app.getInstallationOctokit(id);
    octokit.hook.error('request', (error, options) => {
      const err = error as { status?: number; request?: { url?: string } };
      if (err.status === 404 && ACCESS_TOKEN_URL.test(err.request?.url ?? String(options.url ?? ''))) {
        this.forget(repository.name, id);
        throw new InstallationGoneError(repository.name, id, { cause: error });
      }
      throw error;
    });
    return octokit;
  };

  /** The installation id for a configured repository: the one given (remembered), the cached one, or GitHub's answer. */
  async installationOf(repo: string, installationId?: number | null): Promise<number> {
    const repository = configuredRepository(this, repo);
    const key = repository.name.toLowerCase();
    if (installationId !== undefined && installationId !== null) {
      this.installations.set(key, installationId);
      return installationId;
    }
    const known = this.installations.get(key);
    if (known !== undefined) return known;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.lookUp(repository.name).finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  private async lookUp(name: string): Promise<number> {
    const [owner = '', repo = ''] = name.split('/');
    try {
      const { data } = await this.app.octokit.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
      // A webhook's id that arrived while the lookup ran is newer than the answer: it wins.
      const key = name.toLowerCase();
      const seeded = this.installations.get(key);
      if (seeded !== undefined) return seeded;
      this.installations.set(key, data.id);
      return data.id;
    } catch (err) {
      if ((err as { status?: number }).status === 404) throw new AppNotInstalledError(name);
      throw err;
    }
  }

  /** Drops a cached id GitHub refused, unless a newer one replaced it meanwhile. */
  private forget(name: string, installationId: number): void {
    const key = name.toLowerCase();
    if (this.installations.get(key) === installationId) this.installations.delete(key);
  }
}
