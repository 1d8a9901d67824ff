/** sampleWebhook was asked for an event type that @octokit/webhooks-examples has no example of. */
export class UnknownWebhookSampleError extends Error {
  override name = this.constructor.name;

  constructor(readonly eventName: string) {
    super(`@octokit/webhooks-examples has no "${eventName}" example; use one of the event names it lists (e.g. push, pull_request, issue_comment)`);
  }
}
