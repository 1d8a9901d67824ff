/** Without a secret no webhook can be verified, so the ingress refuses to start. */
export class WebhookSecretNotSetError extends Error {
  override name = this.constructor.name;

  constructor(readonly envVar: string) {
    super(`the GitHub webhook secret is not set: set ${envVar} to the secret configured on the GitHub App's webhook`);
  }
}
