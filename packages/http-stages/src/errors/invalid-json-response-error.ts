/** The deployed API answered, but not with JSON. */
export class InvalidJsonResponseError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly bodyExcerpt: string,
  ) {
    super(`${method} ${url} answered ${status} with something that is not JSON (${bodyExcerpt || 'empty'}): check that the URL points at the API, not a web page or a proxy`);
  }
}
