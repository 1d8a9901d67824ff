/** Without a secret no webhook can be verified, so the ingress refuses to start. */
export class WebhookSecretNotSetError extends Error {
  override name = this.constructor.name;

  constructor(readonly source: string) {
    super(`the GitHub webhook secret is not set (github.webhookSecret reads ${source}): set it to the secret configured on the GitHub App's webhook`);
  }
}
