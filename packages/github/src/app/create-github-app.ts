import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';

export interface GitHubAppSettings {
  appId: number;
  /** PEM, from a secret file or env. */
  privateKey: string;
  /** https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  baseUrl: string;
  /** How often a rate-limited request is waited out and retried before it fails. */
  maxRateLimitRetries?: number;
  /** Scales GitHub's retry-after (seconds); tests shrink it. */
  retryAfterBaseMs?: number;
  /** Spacing between writes (POST/PATCH/PUT/DELETE); GitHub asks for at least a second. */
  writeIntervalMs?: number;
  /** Spacing between writes that notify people (new comments); Octokit's default is 3 s. */
  commentIntervalMs?: number;
  log: { debug(msg: string): void; info(msg: string): void; warn(msg: string): void; error(msg: string): void };
}

// The retry plugin's default list retries 409, which the merges API answers for a conflict:
// that is an answer, not a failure.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

/**
 * The GitHub App: app-JWT auth, installation tokens (cached by @octokit/auth-app until shortly
 * before they expire), rate limits waited out (throttling: 403/429 with retry-after) and
 * transient 5xx retried, pagination.
 */
export function createGitHubApp(settings: GitHubAppSettings) {
  const maxRetries = settings.maxRateLimitRetries ?? 3;
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retrying = retryCount < maxRetries;
    settings.log.warn(`${kind} rate limit on ${options.method} ${options.url}: ${retrying ? `retrying after ${retryAfter}s` : 'giving up'}`);
    return retrying;
  };
  const StagecraftOctokit = Octokit.plugin(paginateRest, throttling, retry).defaults({
    baseUrl: settings.baseUrl,
    userAgent: 'stagecraft',
    throttle: {
      ...(settings.retryAfterBaseMs !== undefined ? { retryAfterBaseValue: settings.retryAfterBaseMs } : {}),
      ...(settings.writeIntervalMs !== undefined
        ? { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: settings.writeIntervalMs }) }
        : {}),
      ...(settings.commentIntervalMs !== undefined
        ? { notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: settings.commentIntervalMs }) }
        : {}),
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    retry: { doNotRetry: DO_NOT_RETRY },
  });
  return new App({
    appId: settings.appId,
    privateKey: settings.privateKey,
    Octokit: StagecraftOctokit,
    log: settings.log,
  });
}

export type GitHubApp = ReturnType<typeof createGitHubApp>;
export type InstallationOctokit = Awaited<ReturnType<GitHubApp['getInstallationOctokit']>>;
