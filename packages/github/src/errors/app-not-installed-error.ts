/** GitHub says the App has no installation covering a configured repository. */
export class AppNotInstalledError extends Error {
  override name = this.constructor.name;

  constructor(readonly repository: string) {
    super(
      `the GitHub App is not installed on ${repository} (GET /repos/${repository}/installation answered 404): install it there ` +
        "(the App's page on GitHub → Install App → the repository's owner → select the repository), or remove it from repositories: in stagecraft.yaml.",
    );
  }
}
