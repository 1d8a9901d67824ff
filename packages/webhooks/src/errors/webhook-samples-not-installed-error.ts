/**
 * sampleWebhook was called where @octokit/webhooks-examples is not installed: it is a development
 * dependency (9 MB of payloads for tests, `stagecraft demo` and `send-webhook`), which production
 * installs such as the container image leave out.
 */
export class WebhookSamplesNotInstalledError extends Error {
  override name = this.constructor.name;

  constructor() {
    super(
      'sample webhooks come from @octokit/webhooks-examples, a development dependency that production installs (the container image) leave out: run this from a source checkout after `pnpm install`',
    );
  }
}
