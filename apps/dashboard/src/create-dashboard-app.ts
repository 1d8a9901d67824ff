import { randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { CycleStore, EnvStateStore, PromotionStore, ReleaseAuditLog, ReleaseStore } from '@stagecraft/engine';
import { explain, type PolicySettings } from '@stagecraft/policy';
import type { CatalogQueue, CommandEvent } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { AuditLog } from './audit-log.js';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import { clientAddress } from './client-address.js';
import { createPromotionApi } from './create-promotion-api.js';
import { createStatusApi, DEPLOYED_LOOKBACK } from './create-status-api.js';
import type { PromotionCommands } from './promotion-commands.js';
import type { LiveListener } from './live-events.js';
import { clearLoginCsrf, issueLoginCsrf, loginCsrfMatches } from './login-csrf.js';
import { parseCookies } from './parse-cookies.js';
import type { IgnoredRepositories } from './repositories/ignored-repositories.js';
import type { ExcludedPrs } from './exclusions/excluded-prs.js';
import { deployedCycle } from './repositories/repository-runs.js';
import { queuesUiAccess, type QueuesUiBoards } from './queues-ui-access.js';
import type { Session, SessionStore } from './session-store.js';
import { layout } from './views/layout.js';
import { renderCycle } from './views/render-cycle.js';
import { renderLogin } from './views/render-login.js';
import { renderOverview } from './views/render-overview.js';
import type { OverviewModel } from './views/overview-model.js';

export const SESSION_COOKIE = 'stagecraft_session';

export interface DashboardResources {
  cycles: Pick<CycleStore, 'get' | 'list'>;
  states: Pick<EnvStateStore, 'load'>;
  environments: Array<{ name: string; approval: boolean }>;
  /** The scheduler's policy settings: the pages explain each environment's next cycle with them. */
  settings: PolicySettings;
  /** The configured repositories (`owner/name`), in config order: dashboard commands name the first. */
  repositories: string[];
  /** Webhooks ingress ignored from repositories that are not configured. */
  ignoredRepositories: Pick<IgnoredRepositories, 'list'>;
  /** PRs a bisection excluded that are still out of staging (the `exclusions` hash). */
  exclusions: Pick<ExcludedPrs, 'list'>;
  sessions: SessionStore;
  /** The login a token belongs to, or null. */
  loginOf: (token: string) => string | null;
  /** The bearer token of the JSON API. */
  apiToken: string;
  audit: AuditLog;
  events: Pick<CatalogQueue<'events'>, 'add'>;
  /** Bull Board, served under /queues to logged-in people only: read-only except for `admins`. */
  queuesUi: QueuesUiBoards | null;
  /** Logins that may change jobs and queues in Bull Board. */
  admins: string[];
  /** Wrong login and bearer tokens per client address. */
  authFailures: AuthFailureLimit;
  /** express 'trust proxy': which proxies' X-Forwarded-For names the client (apps.dashboard.trustProxy). */
  trustProxy: boolean | number | string;
  live: { subscribe(listener: LiveListener): () => void };
  secureCookies: boolean;
  sessionTtlMs: number;
  clock: () => number;
  logger: Logger;
  /** Releases and promotion requests, shown and acted on (API and the approvals panel). */
  promotion: {
    releases: Pick<ReleaseStore, 'list'>;
    promotions: Pick<PromotionStore, 'list'>;
    releaseAudit: Pick<ReleaseAuditLog, 'list'>;
    commands: Pick<PromotionCommands, 'send'>;
  };
}

type Req = express.Request & { session?: Session };

/**
 * The dashboard: JSON API (bearer), login with a token, sessions in Redis, CSRF on every POST (the
 * login form too), wrong tokens limited per client address, views, actions, live updates. An app of
 * its own rather than a router, so that its 'trust proxy' decides what req.ip is.
 */
export function createDashboardApp(r: DashboardResources): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', r.trustProxy);
  app.use(createPromotionApi({ ...r.promotion, environments: r.environments, repositories: r.repositories, loginOf: r.loginOf, authFailures: r.authFailures, audit: r.audit, clock: r.clock }));
  app.use(
    createStatusApi({
      cycles: r.cycles,
      states: r.states,
      environments: r.environments.map((e) => e.name),
      repositories: r.repositories,
      ignoredRepositories: r.ignoredRepositories,
      exclusions: r.exclusions,
      settings: r.settings,
      clock: r.clock,
      token: r.apiToken,
      authFailures: r.authFailures,
    }),
  );
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const loginPage = (res: express.Response, status: number, error: string | null, next: string) =>
    res.status(status).type('html').send(renderLogin({ error, next, csrf: issueLoginCsrf(res, r.secureCookies) }));

  app.get('/login', (req, res) => {
    loginPage(res, 200, null, safeNext(req.query['next']));
  });
  app.post('/login', form, async (req, res) => {
    const next = safeNext(req.body?.next);
    const address = clientAddress(req);
    // Before anything else: while limited, even the right token is refused, or guessing would go on.
    const retryAfter = await r.authFailures.retryAfter(address);
    if (retryAfter !== null) {
      res.set('Retry-After', String(retryAfter));
      loginPage(res, 429, `Too many wrong tokens from your address (${address}): try again in ${retryAfter} seconds.`, next);
      return;
    }
    if (!loginCsrfMatches(req, r.secureCookies)) {
      r.logger.info({ ip: address }, 'dashboard login refused: login CSRF value missing or wrong');
      loginPage(res, 403, 'This login form had expired or did not come from this site, so it was refused: reload the login page and log in again.', next);
      return;
    }
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const login = token ? r.loginOf(token) : null;
    if (!login) {
      await r.authFailures.recordFailure(address);
      r.logger.info({ ip: address }, 'dashboard login refused');
      loginPage(res, 401, 'That token is not valid.', next);
      return;
    }
    clearLoginCsrf(res, r.secureCookies);
    const session = await r.sessions.create(login, r.clock());
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: r.secureCookies, path: '/', maxAge: r.sessionTtlMs });
    r.logger.info({ login }, 'dashboard login');
    res.redirect(303, next);
  });

  // Everything below needs a login: pages redirect to it, anything else answers 401.
  app.use(async (req: Req, res, next) => {
    const session = await r.sessions.get(parseCookies(req.get('cookie'))[SESSION_COOKIE]);
    if (session) {
      req.session = session;
      next();
      return;
    }
    if (req.method === 'GET' && (req.get('accept') ?? '').includes('text/html')) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(401).json({ error: 'log in first at /login with your dashboard token' });
  });

  // CSRF: our forms carry the session's synchronizer token; Bull Board's own API calls are
  // checked by origin instead, since its UI cannot send our token.
  app.use((req: Req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.path.startsWith('/queues')) {
      if (sameOrigin(req)) return next();
      res.status(403).json({ error: 'cross-site request refused' });
      return;
    }
    form(req, res, () => {
      const given = String(req.body?._csrf ?? req.get('x-csrf-token') ?? '');
      if (!given || !equal(given, req.session!.csrf)) {
        res.status(403).type('text').send('CSRF token missing or wrong: reload the page and try again');
        return;
      }
      next();
    });
  });

  app.post('/logout', async (req: Req, res) => {
    await r.sessions.destroy(req.session!.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  app.get('/', async (req: Req, res) => {
    const body = renderOverview(await overview(r), req.session!.csrf);
    if (req.query['fragment']) {
      res.type('html').send(body.text);
      return;
    }
    res.type('html').send(layout({ title: 'Cycles', login: req.session!.login, csrf: req.session!.csrf, body, live: true }));
  });

  app.get('/cycles/:id', async (req: Req, res) => {
    const cycle = await r.cycles.get(String(req.params['id']));
    if (!cycle) {
      res.status(404).type('text').send(`no cycle ${req.params['id']}`);
      return;
    }
    // A bisection step shows the whole search, which is kept on the failed cycle it bisects.
    const origin = cycle.bisect ? await r.cycles.get(cycle.bisect.origin) : null;
    const body = renderCycle(cycle, r.repositories, origin);
    if (req.query['fragment']) {
      res.type('html').send(body.text);
      return;
    }
    // A failed cycle whose bisection still runs changes too: its tree grows with each step.
    const live = cycle.state === 'running' || (cycle.bisection !== undefined && cycle.bisection !== null && cycle.bisection.verdict === null);
    res.type('html').send(layout({ title: cycle.id, login: req.session!.login, csrf: req.session!.csrf, body, live }));
  });

  app.get('/events', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const unsubscribe = r.live.subscribe((change) => res.write(`data: ${JSON.stringify(change)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  for (const command of ['deploy', 'trigger'] as const) {
    app.post(`/actions/${command}`, async (req: Req, res) => {
      // The same event a PR comment makes, so the scheduler applies the same rules (maintainers only) and
      // records it the same way. It is on no PR, so it names the first repository, as a comment names its own.
      const event: CommandEvent = {
        kind: 'command',
        id: `dashboard-${randomUUID()}`,
        receivedAt: r.clock(),
        repo: r.repositories[0]!,
        installationId: null,
        command,
        by: req.session!.login,
        pr: null,
        isPullRequest: false,
        commentId: 0,
        sha: null,
      };
      await r.events.add('command', event, { jobId: event.id });
      await r.audit.record({ at: r.clock(), by: req.session!.login, action: command === 'deploy' ? 'deploy now (partial)' : 'trigger full cycle', result: `queued as ${event.id}` });
      r.logger.info({ login: req.session!.login, command }, 'dashboard action');
      res.redirect(303, '/');
    });
  }

  // The approvals panel's buttons: the same command event as `@bot approve|reject <request>` on a PR.
  for (const command of ['approve', 'reject'] as const) {
    app.post(`/actions/${command}`, async (req: Req, res) => {
      const env = String(req.body?.env ?? '');
      const request = String(req.body?.request ?? '');
      if (!r.environments.some((e) => e.name === env && e.approval) || !/^[a-z0-9-]+-p\d+$/.test(request)) {
        res.status(400).type('text').send('approve and reject need the environment and the request id of a waiting promotion request');
        return;
      }
      const login = req.session!.login;
      const { eventId, answer } = await r.promotion.commands.send(command, login, [env, request]);
      await r.audit.record({ at: r.clock(), by: login, action: `${command} ${request}`, result: answer ? `${answer.ok ? '' : 'refused: '}${answer.message}` : `queued as ${eventId}` });
      r.logger.info({ login, command, request }, 'dashboard action');
      res.redirect(303, '/');
    });
  }

  if (r.queuesUi) app.use('/queues', queuesUiAccess({ boards: r.queuesUi, admins: r.admins, audit: r.audit, clock: r.clock, logger: r.logger }));
  return app;
}

async function overview(r: DashboardResources): Promise<OverviewModel> {
  const now = r.clock();
  const [history, audit, ignoredRepositories, exclusions] = await Promise.all([r.cycles.list({ limit: 30 }), r.audit.recent(20), r.ignoredRepositories.list(), r.exclusions.list()]);
  const environments = await Promise.all(
    r.environments.map(async (e) => {
      const { state } = await r.states.load(e.name);
      const running = state.running ? await r.cycles.get(state.running.id) : null;
      const recent = await r.cycles.list({ env: e.name, limit: DEPLOYED_LOOKBACK });
      // The bisection running now, else the newest one still in the recent cycles.
      const bisected = (state.bisection ? await r.cycles.get(state.bisection.origin) : null) ?? recent.find((c) => c.bisection) ?? null;
      return { name: e.name, approval: e.approval, explanation: explain(state, r.settings, now), running, deployed: deployedCycle(recent), bisected };
    }),
  );
  const approvals = await Promise.all(
    r.environments
      .filter((e) => e.approval)
      .map(async (e) => ({
        env: e.name,
        waiting: (await r.promotion.promotions.list(e.name, 50)).filter((p) => p.state === 'waiting' || p.state === 'approved'),
        releases: await r.promotion.releases.list(e.name, 10),
      })),
  );
  return { now, repositories: r.repositories, ignoredRepositories, exclusions, environments, history, audit, approvals };
}

/** Only local paths: a login link must not send people to another site. */
function safeNext(value: unknown): string {
  const next = typeof value === 'string' ? value : '/';
  return /^\/(?![/\\])/.test(next) ? next : '/';
}

function sameOrigin(req: express.Request): boolean {
  if (req.get('sec-fetch-site') === 'same-origin') return true;
  const origin = req.get('origin');
  return origin !== undefined && origin === `${req.protocol}://${req.get('host')}`;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
