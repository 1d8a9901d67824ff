import type { Server } from 'node:http';
import type express from 'express';
import type { Redis } from 'ioredis';
import { CycleStore, EnvStateStore, HeadsStore } from '@stagecraft/engine';
import type { StagecraftKeys } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { AuditLog } from '../audit-log.js';
import { AuthFailureLimit } from '../auth-failure-limit.js';
import type { DashboardResources } from '../create-dashboard-app.js';
import { ExcludedPrs } from '../exclusions/excluded-prs.js';
import { IgnoredRepositories } from '../repositories/ignored-repositories.js';
import { SessionStore } from '../session-store.js';
import { tokenLogins } from '../token-logins.js';

/**
 * The dashboard's resources as its tests share them, on real Redis under `keys`: the staging
 * environment of acme/app, the maintainer `maint` logging in with `maint-token`, the API token
 * `api-token`, no queues UI, nothing live, promotion reading nothing; `over` changes any of it.
 */
export function testDashboardResources(
  redis: Redis,
  keys: StagecraftKeys,
  over: Partial<DashboardResources> & Pick<DashboardResources, 'events' | 'settings'>,
): DashboardResources {
  const logger = over.logger ?? createLogger({ app: 'test', level: 'silent' });
  const repositories = over.repositories ?? ['acme/app'];
  return {
    cycles: new CycleStore(redis, keys),
    states: new EnvStateStore(redis, keys),
    environments: [{ name: 'staging', approval: false }],
    repositories,
    ignoredRepositories: new IgnoredRepositories(redis, keys.ignoredRepositories(), repositories),
    exclusions: new ExcludedPrs(new HeadsStore(redis, keys), repositories, 'stagecraft'),
    sessions: new SessionStore(redis, keys.session, 60_000),
    loginOf: tokenLogins([{ login: 'maint', token: 'maint-token' }]),
    apiToken: 'api-token',
    audit: new AuditLog(redis, keys.audit()),
    queuesUi: null,
    admins: [],
    authFailures: new AuthFailureLimit(redis, keys.authFailures, { limit: 10, windowMs: 60_000, logger }),
    trustProxy: false,
    live: { subscribe: () => () => undefined },
    secureCookies: false,
    sessionTtlMs: 60_000,
    clock: Date.now,
    logger,
    promotion: {
      releases: { list: async () => [] },
      promotions: { list: async () => [] },
      releaseAudit: { list: async () => [] },
      commands: { send: async () => ({ eventId: 'unused', answer: null }) },
    },
    ...over,
  };
}

/** Serves the app on a free local port; its base URL, and the server to close. */
export async function serveLocally(app: express.Express): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  return { server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}
