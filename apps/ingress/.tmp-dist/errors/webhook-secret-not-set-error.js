/** Without a secret no webhook can be verified, so the ingress refuses to start. */
export class WebhookSecretNotSetError extends Error {
    envVar;
    name = this.constructor.name;
    constructor(envVar) {
        super(`the GitHub webhook secret is not set: set ${envVar} to the secret configured on the GitHub App's webhook`);
        this.envVar = envVar;
    }
}
//# sourceMappingURL=webhook-secret-not-set-error.js.map