/**
 * An installation id GitHub no longer knows (the App was uninstalled or reinstalled since it was
 * looked up or came with a webhook). Deliberately without `status`: a caller must not read it as
 * "this PR / branch does not exist".
 */
export class InstallationGoneError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly repository: string,
    readonly installationId: number,
    options: { cause: unknown },
  ) {
    super(
      `GitHub does not know installation ${installationId} of the App for ${repository} any more (404 creating its token): ` +
        'it was probably uninstalled or reinstalled. Stagecraft looks the installation up again on the next try; if this ' +
        `repeats, install the App on ${repository} again.`,
      options,
    );
  }
}
