import { policySettingsOf } from '@stagecraft/config';
import { createAppRuntime, CycleStore, EnvStateStore, HeadsStore, PromotionStore, ReleaseAuditLog, ReleaseStore } from '@stagecraft/engine';
import { CatalogQueue, QUEUE_NAMES } from '@stagecraft/queue';
import { AuditLog } from './audit-log.js';
import { AuthFailureLimit } from './auth-failure-limit.js';
import { createDashboardApp } from './create-dashboard-app.js';
import { createQueuesUi } from './create-queues-ui.js';
import { LiveEvents } from './live-events.js';
import { PromotionCommands } from './promotion-commands.js';
import { ExcludedPrs } from './exclusions/excluded-prs.js';
import { IgnoredRepositories } from './repositories/ignored-repositories.js';
import { SessionStore } from './session-store.js';
import { tokenLogins } from './token-logins.js';

const runtime = createAppRuntime('dashboard');
const { config, logger, keys, prefix } = runtime;
const settings = config.apps.dashboard;
if (!settings.token.isSet) {
  logger.fatal('the dashboard needs a token: set STAGECRAFT_DASHBOARD_TOKEN (or apps.dashboard.token in stagecraft.yaml)');
  process.exit(1);
}
const client = runtime.redis('client');
const queuesUi = createQueuesUi(QUEUE_NAMES, { connection: runtime.redis('client'), prefix, basePath: '/queues' });
const live = new LiveEvents(['cycles', ...QUEUE_NAMES.filter((q) => q.startsWith('stage-')), 'events'], { connection: () => runtime.redis('worker'), prefix });
const events = new CatalogQueue('events', { connection: client, prefix });
const repositories = config.repositories.map((r) => r.name);
const { port } = await runtime.serve(
  createDashboardApp({
    cycles: new CycleStore(client, keys),
    states: new EnvStateStore(client, keys),
    environments: Object.entries(config.environments).map(([name, e]) => ({ name, approval: e.approval })),
    settings: policySettingsOf(config),
    repositories,
    ignoredRepositories: new IgnoredRepositories(client, keys.ignoredRepositories(), repositories),
    exclusions: new ExcludedPrs(new HeadsStore(client, keys), repositories, config.github.botName),
    sessions: new SessionStore(client, keys.session, settings.sessionTtl),
    loginOf: tokenLogins([
      { login: settings.tokenUser, token: settings.token.reveal() },
      ...settings.users.filter((u) => u.token.isSet).map((u) => ({ login: u.login, token: u.token.reveal() })),
    ]),
    apiToken: settings.token.reveal(),
    audit: new AuditLog(client, keys.audit()),
    events,
    queuesUi,
    admins: settings.admins,
    authFailures: new AuthFailureLimit(client, keys.authFailures, { limit: settings.authFailureLimit, windowMs: settings.authFailureWindow, logger }),
    trustProxy: settings.trustProxy,
    live,
    // Behind TLS (publicUrl https) the session cookie is sent over HTTPS only.
    secureCookies: settings.publicUrl?.startsWith('https://') ?? false,
    sessionTtlMs: settings.sessionTtl,
    clock: Date.now,
    logger,
    promotion: {
      releases: new ReleaseStore(client, keys),
      promotions: new PromotionStore(client, keys),
      releaseAudit: new ReleaseAuditLog(client, keys),
      commands: new PromotionCommands({ redis: client, keys, events, repository: repositories[0]!, clock: Date.now }),
    },
  }),
);
runtime.onShutdown('live events', () => live.close());
runtime.onShutdown('queues', async () => {
  await Promise.all([queuesUi.close(), events.close()]);
});
logger.info({ port }, 'dashboard ready');
