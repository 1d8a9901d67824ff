import { createRequire } from 'node:module';
import { UnknownWebhookSampleError } from './errors/unknown-webhook-sample-error.js';
import { WebhookSamplesNotInstalledError } from './errors/webhook-samples-not-installed-error.js';

export type SampleWebhookName = 'push' | 'pull_request' | 'issue_comment' | 'commit_comment' | 'ping';

export interface SampleWebhook {
  name: SampleWebhookName;
  payload: any;
}

/** The action a sample has when none is asked for. */
const DEFAULT_ACTIONS: Partial<Record<SampleWebhookName, string>> = {
  pull_request: 'opened',
  issue_comment: 'created',
  commit_comment: 'created',
};

/** An entry of @octokit/webhooks-examples (the package itself is a devDependency: see loadDefinitions). */
interface WebhookDefinition {
  name: string;
  examples: unknown[];
}

let definitions: WebhookDefinition[] | undefined;

/**
 * A real payload GitHub sent, from @octokit/webhooks-examples, deep-cloned so callers may change it.
 *
 * It is the first example with the requested action (or the type's usual one: opened, created);
 * when the examples have none with that action, the usual one is returned with `action` set to
 * it. A push sample is a branch push with commits. `overrides` then edits the clone in place.
 */
export function sampleWebhook(name: SampleWebhookName, overrides?: (payload: any) => void, action?: string): SampleWebhook {
  const examples: any[] = loadDefinitions().find((d) => d.name === name)?.examples ?? [];
  if (examples.length === 0) throw new UnknownWebhookSampleError(name);
  const wanted = action ?? DEFAULT_ACTIONS[name];
  const usual = DEFAULT_ACTIONS[name];
  const pick =
    (wanted !== undefined ? examples.find((e) => e.action === wanted) : undefined) ??
    (usual !== undefined ? examples.find((e) => e.action === usual) : undefined) ??
    (name === 'push' ? examples.find((e) => e.ref?.startsWith('refs/heads/') && e.commits?.length > 0) : undefined) ??
    examples[0];
  const payload = structuredClone(pick);
  if (wanted !== undefined && payload.action !== undefined) payload.action = wanted;
  overrides?.(payload);
  return { name, payload };
}

// 4 MB of JSON: read on first use, not when the package is imported. A development dependency: only
// tests and the CLI's demo and send-webhook (from a checkout) need it, so the image leaves it out.
function loadDefinitions(): WebhookDefinition[] {
  try {
    definitions ??= createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new WebhookSamplesNotInstalledError();
    throw err;
  }
  return definitions;
}
