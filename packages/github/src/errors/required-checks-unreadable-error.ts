/** GitHub refused to show a branch's protection to the App: its required checks cannot be known. */
export class RequiredChecksUnreadableError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly repository: string,
    readonly branch: string,
    cause: unknown,
  ) {
    super(
      `GitHub refused to show the branch protection of ${repository} ${branch} to the GitHub App (403): requireChecks: required needs it. ` +
        "Give the App read access to the repository's administration (the App's settings → Permissions → Repository → Administration: Read-only, then accept it on the installation), " +
        'or list the check names instead (requireChecks: [ci/build, lint]).',
      { cause },
    );
  }
}
