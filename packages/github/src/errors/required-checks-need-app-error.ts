/** `requireChecks: required` is configured but the GitHub App is not there to read branch protection. */
export class RequiredChecksNeedAppError extends Error {
  override name = this.constructor.name;

  constructor(readonly repositories: readonly string[]) {
    super(
      `compose.requireChecks is "required" for ${repositories.join(', ')}, which is read from branch protection through the GitHub App, but the App is not configured ` +
        '(github.appId, and github.privateKey whose secret is set): configure it, or list the check names instead (requireChecks: [ci/build, lint]). Until then these PRs would wait forever.',
    );
  }
}
