/** Composing one repository's staging branch failed; the message names the repository, the cause says what GitHub answered. */
export class ComposeRepositoryError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly repository: string,
    cause: unknown,
  ) {
    super(
      `composing ${repository} through the GitHub API failed: ${(cause as Error)?.message ?? String(cause)}. The cycle's compose ` +
        `fails as a whole (staging is every repository or none); check the App's access to ${repository} (contents: write) and its branches, then retry the cycle.`,
      { cause },
    );
  }
}
