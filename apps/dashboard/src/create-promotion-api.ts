import express from 'express';
import type { PromotionStore, ReleaseAuditLog, ReleaseStore } from '@stagecraft/engine';
import { sameRepository } from '@stagecraft/policy';
import type { AuditLog } from './audit-log.js';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import type { PromotionCommand, PromotionCommands } from './promotion-commands.js';
import { requireLoginToken } from './require-login-token.js';

export interface PromotionApiResources {
  releases: Pick<ReleaseStore, 'list'>;
  promotions: Pick<PromotionStore, 'list'>;
  releaseAudit: Pick<ReleaseAuditLog, 'list'>;
  commands: Pick<PromotionCommands, 'send'>;
  environments: Array<{ name: string; approval: boolean }>;
  /** The configured repositories (`owner/name`): a command may name one with `repo`. */
  repositories: string[];
  loginOf: (token: string) => string | null;
  authFailures: AuthFailureLimit;
  /** The dashboard's own action log. */
  audit: AuditLog;
  clock: () => number;
}

const limitOf = (value: unknown, fallback: number) => Math.min(Math.max(Number(value ?? fallback) || fallback, 1), 500);

/**
 * GET /api/releases, /api/promotions, /api/audit; POST /api/promotions/{promote,approve,reject,rollback,override}.
 * JSON behind any dashboard user's token, whose login is the one who promotes or approves.
 */
export function createPromotionApi(r: PromotionApiResources): express.Router {
  const api = express.Router();
  const auth = requireLoginToken(r.loginOf, r.authFailures);
  const envsOf = (query: unknown, approvalOnly: boolean) =>
    typeof query === 'string' ? [query] : r.environments.filter((e) => !approvalOnly || e.approval).map((e) => e.name);

  api.get('/api/releases', auth, async (req, res) => {
    const limit = limitOf(req.query['limit'], 50);
    const lists = await Promise.all(envsOf(req.query['env'], false).map((env) => r.releases.list(env, limit)));
    res.json({ releases: lists.flat().sort((a, b) => b.createdAt - a.createdAt).slice(0, limit) });
  });

  api.get('/api/promotions', auth, async (req, res) => {
    const limit = limitOf(req.query['limit'], 50);
    const lists = await Promise.all(envsOf(req.query['env'], true).map((env) => r.promotions.list(env, limit)));
    res.json({ promotions: lists.flat().sort((a, b) => b.requestedAt - a.requestedAt).slice(0, limit) });
  });

  api.get('/api/audit', auth, async (req, res) => {
    const env = typeof req.query['env'] === 'string' ? req.query['env'] : undefined;
    res.json({ audit: await r.releaseAudit.list({ ...(env ? { env } : {}), limit: limitOf(req.query['limit'], 100) }) });
  });

  const json = express.json({ limit: '16kb' });
  for (const command of ['promote', 'approve', 'reject', 'rollback', 'override'] as const satisfies readonly PromotionCommand[]) {
    api.post(`/api/promotions/${command}`, auth, json, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const env = typeof body['env'] === 'string' ? body['env'] : null;
      if (env !== null && !r.environments.some((e) => e.name === env && e.approval)) {
        res.status(400).json({ error: `${env} is not an environment deployed by promotion (approval: true)` });
        return;
      }
      // A command names the first configured repository unless the caller names another one.
      const repoAsked = typeof body['repo'] === 'string' ? body['repo'] : null;
      const repo = repoAsked === null ? undefined : r.repositories.find((name) => sameRepository(name, repoAsked));
      if (repo === undefined && repoAsked !== null) {
        res.status(400).json({ error: `${repoAsked} is not a configured repository: use one of ${r.repositories.join(', ')}, or leave repo out` });
        return;
      }
      const ref = typeof body['release'] === 'string' ? body['release'] : typeof body['request'] === 'string' ? body['request'] : null;
      const reason = typeof body['reason'] === 'string' && body['reason'].trim() ? body['reason'].trim().split(/\s+/) : [];
      const login = String(res.locals['login']);
      const { eventId, answer } = await r.commands.send(command, login, [...(env ? [env] : []), ...(ref ? [ref] : []), ...reason], repo);
      await r.audit.record({ at: r.clock(), by: login, action: `${command}${env ? ` ${env}` : ''}${ref ? ` ${ref}` : ''} (API)`, result: answer ? `${answer.ok ? '' : 'refused: '}${answer.message}` : `queued as ${eventId}` });
      if (!answer) {
        res.status(202).json({ event: eventId, message: 'the scheduler has not answered yet: see `stagecraft audit`' });
        return;
      }
      res.status(answer.ok ? 200 : 409).json({ event: eventId, ...answer });
    });
  }
  return api;
}
