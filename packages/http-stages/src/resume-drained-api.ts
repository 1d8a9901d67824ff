import type { HttpJsonClient } from './http-json-client.js';
import { displayUrl } from './display-url.js';
import { renderTemplate } from './render-template.js';
import type { TemplateValues } from './template-values.js';

export interface ResumeResult {
  url: string;
  resumed: boolean;
  error?: string;
}

/**
 * POSTs the drain config's resume URL. Runs after the stage's own signal may have fired (a
 * cancelled drain still resumes), so it takes no signal: the client's request timeout and retries
 * bound it. Never throws; the caller decides what a failed resume means.
 */
export async function resumeDrainedApi(
  client: HttpJsonClient,
  urlTemplate: string,
  values: TemplateValues,
  log: (line: string) => void,
): Promise<ResumeResult> {
  const url = renderTemplate(urlTemplate, values, { url: true });
  try {
    await client.request({ method: 'POST', url, body: { cycleId: values.cycleId, sha: values.sha }, signal: new AbortController().signal, log });
    log(`resumed the deployed API: POST ${displayUrl(url)}`);
    return { url: displayUrl(url), resumed: true };
  } catch (err) {
    const message = (err as Error).message;
    log(`could not resume the deployed API: ${message}`);
    return { url: displayUrl(url), resumed: false, error: message };
  }
}
