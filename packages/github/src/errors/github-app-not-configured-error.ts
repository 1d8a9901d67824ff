/** compose through GitHub needs the App's credentials. */
export class GitHubAppNotConfiguredError extends Error {
  override name = this.constructor.name;

  constructor() {
    super(
      'stages.compose.executor is "github" but the GitHub App is not configured: set github.appId and ' +
        'github.privateKey ({ file: /path/to/key.pem } or { env: NAME }), or use executor "local".',
    );
  }
}
