import type { Secret } from '@stagecraft/config';
import { HttpJsonClient } from './http-json-client.js';

export interface HttpClientSettings {
  token: Secret | null;
  requestTimeout: number;
  retries: number;
  retryDelay: number;
}

/** The client an http stage's config describes; an unset token secret throws (SecretNotSetError) at start-up. */
export function httpClientFromSettings(settings: HttpClientSettings): HttpJsonClient {
  return new HttpJsonClient({
    token: settings.token === null ? null : settings.token.reveal(),
    requestTimeoutMs: settings.requestTimeout,
    retries: settings.retries,
    retryDelayMs: settings.retryDelay,
  });
}
