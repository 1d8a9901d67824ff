import { abortableSleep } from '@stagecraft/executors';
import { displayUrl } from './display-url.js';
import { HttpConnectionError } from './errors/http-connection-error.js';
import { HttpStatusError } from './errors/http-status-error.js';
import { InvalidJsonResponseError } from './errors/invalid-json-response-error.js';
import { RequestCancelledError } from './errors/request-cancelled-error.js';

export interface HttpJsonClientSettings {
  /** Sent as `Authorization: Bearer …`; never logged or put in a message. */
  token: string | null;
  requestTimeoutMs: number;
  /** Further tries after a 5xx answer or a connection error. */
  retries: number;
  /** Wait before the first retry, doubled for each further one. */
  retryDelayMs: number;
}

export interface HttpJsonRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  body?: unknown;
  signal: AbortSignal;
  log: (line: string) => void;
}

const EXCERPT_CHARS = 200;

/**
 * JSON over Node's fetch against the system-under-deploy's own API: a bearer token, a timeout per
 * request, and bounded retries with backoff on 5xx answers and connection errors (4xx answers are
 * the config's fault and fail at once). Returns the parsed answer (null for an empty one).
 */
export class HttpJsonClient {
  constructor(private readonly settings: HttpJsonClientSettings) {}

  async request({ method, url, body, signal, log }: HttpJsonRequest): Promise<unknown> {
    const shown = displayUrl(url);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.settings.token !== null) headers['authorization'] = `Bearer ${this.settings.token}`;
    const attempts = this.settings.retries + 1;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new RequestCancelledError(method, shown);
      let failure: HttpStatusError | HttpConnectionError;
      try {
        const response = await fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.requestTimeoutMs)]),
          redirect: 'follow',
        });
        const text = await response.text();
        if (response.ok) return parseJson(text, method, shown, response.status, this.excerpt(text));
        failure = new HttpStatusError(method, shown, response.status, attempt, this.excerpt(text));
        if (response.status < 500) throw failure;
      } catch (err) {
        if (err instanceof HttpStatusError || err instanceof InvalidJsonResponseError) throw err;
        if (signal.aborted) throw new RequestCancelledError(method, shown);
        failure = new HttpConnectionError(method, shown, connectionReason(err, this.settings.requestTimeoutMs), attempt);
      }
      if (attempt >= attempts) throw failure;
      const delay = this.settings.retryDelayMs * 2 ** (attempt - 1);
      const what = failure instanceof HttpStatusError ? `answered ${failure.status}` : `failed (${failure.reason})`;
      log(`${method} ${shown} ${what}; retry ${attempt}/${this.settings.retries} in ${delay}ms`);
      if (!(await abortableSleep(delay, signal))) throw new RequestCancelledError(method, shown);
    }
  }

  /** The start of an answer for a message, with the token blanked should the API echo it. */
  private excerpt(text: string): string {
    let short = text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
    if (this.settings.token !== null && this.settings.token.length > 0) short = short.split(this.settings.token).join('***');
    return text.length > EXCERPT_CHARS ? `${short}…` : short;
  }
}

function parseJson(text: string, method: string, url: string, status: number, excerpt: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidJsonResponseError(method, url, status, excerpt);
  }
}

/** Why fetch failed, in words: undici hides the socket error in `cause`. */
function connectionReason(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return `no answer within ${timeoutMs}ms`;
  const cause = error?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` ${cause.message}` : ''}`;
  return cause?.message ?? error?.message ?? String(err);
}
