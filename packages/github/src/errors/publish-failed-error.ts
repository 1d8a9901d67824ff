/**
 * Publishing a cycle reached some PRs but not all (e.g. the App lost access to one repository):
 * the others were published; the notification job fails so BullMQ retries, and the retry writes
 * only what is still missing.
 */
export class PublishFailedError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly cycleId: string,
    readonly failures: Array<{ pr: string; error: unknown }>,
  ) {
    super(
      `could not publish cycle ${cycleId} to ${failures.length} PR(s): ` +
        failures.map((f) => `${f.pr}: ${(f.error as Error)?.message ?? String(f.error)}`).join('; ') +
        ". The job is retried; if it keeps failing, check the App's installation on those repositories (checks, issues, deployments: write).",
      { cause: failures[0]?.error },
    );
  }
}
