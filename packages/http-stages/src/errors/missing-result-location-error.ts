/** A submission's answer did not say where its result will be. */
export class MissingResultLocationError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly submission: string,
    readonly url: string,
    readonly path: string,
    readonly answer: string,
  ) {
    super(
      `${submission}: the answer of POST ${url} has nothing at ${path} (${answer}): set resultUrlPath or idPath of this submission to where the answer holds the result's URL or id`,
    );
  }
}
