// The Stagecraft testing kit: local stand-ins for the services Stagecraft talks to, speaking their
// wire formats so the real clients can be pointed at them, plus an engine on real Redis and the
// launcher `stagecraft start` uses. See docs/testing.md.
export * from '@stagecraft/engine/testing';
export * from './github/fake-github-server.js';
export * from './kubernetes/fake-kube-server.js';
export * from './kubernetes/write-kubeconfig.js';
export * from './deployed-api/fake-deployed-api.js';
export * from './stage-context.js';
export * from '@stagecraft/launcher';
export {
  buildWebhook,
  BUILDABLE_WEBHOOKS,
  signWebhook,
  webhookHeaders,
  type WebhookName,
  type WebhookPayload,
  type WebhookFieldsByName,
  type PushWebhookFields,
  type PushCommitFields,
  type PullRequestWebhookFields,
  type IssueCommentWebhookFields,
  type CommitCommentWebhookFields,
  type CheckRunWebhookFields,
  type CheckSuiteWebhookFields,
  type StatusWebhookFields,
  type PingWebhookFields,
} from '@stagecraft/webhooks';
