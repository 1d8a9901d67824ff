/** The deployed API answered with an error status (after the retries a 5xx gets). */
export class HttpStatusError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly attempts: number,
    readonly bodyExcerpt: string,
  ) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const hint =
      status === 401 || status === 403
        ? 'check the token (stages.*.token) the deployed API expects'
        : status === 404
          ? 'check the URL in the stage config'
          : status >= 500
            ? 'the deployed API is failing: check its logs, or raise stages.*.retries'
            : 'check the request the stage config describes';
    super(`${method} ${url} answered ${status}${tries}${bodyExcerpt ? ` (${bodyExcerpt})` : ''}: ${hint}`);
  }
}
