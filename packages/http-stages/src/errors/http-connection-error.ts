/** The deployed API could not be reached, or did not answer in time (after the retries). */
export class HttpConnectionError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`${method} ${url} failed${tries}: ${reason}: check that the deployed API is up and the URL in the stage config is right`);
  }
}
