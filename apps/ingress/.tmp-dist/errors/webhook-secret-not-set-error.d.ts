/** Without a secret no webhook can be verified, so the ingress refuses to start. */
export declare class WebhookSecretNotSetError extends Error {
    readonly envVar: string;
    name: string;
    constructor(envVar: string);
}
