export * from './verify-webhook-signature.js';
export * from './sign-webhook.js';
export * from './webhook-headers.js';
export * from './parse-commands.js';
export * from './normalize-webhook.js';
export * from './build-webhook.js';
export * from './ingress-metrics.js';
export * from './errors/malformed-webhook-error.js';
