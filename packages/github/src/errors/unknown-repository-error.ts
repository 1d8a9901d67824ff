/** A repository Stagecraft was asked about that stagecraft.yaml does not list (e.g. a job queued before the config changed). */
export class UnknownRepositoryError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly repository: string,
    configured: readonly string[],
  ) {
    super(
      `${repository} is not a configured repository (configured: ${configured.join(', ')}): add it to repositories: in ` +
        'stagecraft.yaml (and install the GitHub App on it) to stage it, or leave it out and this is the last of it.',
    );
  }
}
