/**
 * A correctly signed webhook whose payload lacks what its event type always carries. Either GitHub
 * changed the payload shape or the sender is not GitHub: the delivery is rejected and not retried.
 */
export class MalformedWebhookError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly eventName: string,
    readonly detail: string,
  ) {
    super(
      `the ${eventName} webhook payload is missing required fields (${detail}); ` +
        `check the payload in the app's "Recent Deliveries" on GitHub and whether the webhook is configured for JSON content`,
    );
  }
}
