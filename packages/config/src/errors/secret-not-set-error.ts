export class SecretNotSetError extends Error {
  override name = this.constructor.name;

  constructor(readonly source: string) {
    super(`the secret from ${source} is not set: ${source.startsWith('env ') ? `set ${source.slice(4)}` : `put the secret in ${source.replace(/^file /, '')}`} before starting`);
  }
}
