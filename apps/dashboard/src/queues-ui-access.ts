import type express from 'express';
import type { Logger } from '@stagecraft/telemetry';
import type { AuditLog } from './audit-log.js';
import type { Session } from './session-store.js';

export interface QueuesUiBoards {
  /** Every queue in read-only mode: the UI shows no buttons that change anything, and Bull Board refuses such calls too. */
  readOnly: express.RequestHandler;
  /** The same queues with every action. */
  admin: express.RequestHandler;
}

const isChange = (method: string) => method !== 'GET' && method !== 'HEAD';

/**
 * Who may do what in Bull Board. Its actions (retry, remove, pause, clean, add…) skip the rules PR
 * commands go through, so only `admins` get them: each of their changes goes to the audit list before
 * it reaches Bull Board. Everyone else gets the read-only board, and any change they send is refused
 * here (403) whatever their UI shows. Runs after login and the same-origin check.
 */
export function queuesUiAccess(opts: { boards: QueuesUiBoards; admins: string[]; audit: AuditLog; clock: () => number; logger: Logger }): express.RequestHandler {
  // GitHub logins are case-insensitive.
  const admins = new Set(opts.admins.map((login) => login.toLowerCase()));
  return async (req, res, next) => {
    const session = (req as express.Request & { session?: Session }).session;
    if (!session) {
      res.status(401).json({ error: 'log in first at /login' });
      return;
    }
    const admin = admins.has(session.login.toLowerCase());
    if (isChange(req.method)) {
      if (!admin) {
        res.status(403).json({ error: `Bull Board is read-only for ${session.login}: changing jobs and queues needs a login listed in apps.dashboard.admins` });
        return;
      }
      // The path names the queue, the job and the action; bodies (job data) stay out of the list.
      const path = req.originalUrl.split('?')[0]!.slice(0, 500);
      await opts.audit.record({ at: opts.clock(), by: session.login, action: `Bull Board ${req.method} ${path}`, result: 'sent to Bull Board' });
      opts.logger.info({ login: session.login, method: req.method, path }, 'dashboard: Bull Board change');
    }
    (admin ? opts.boards.admin : opts.boards.readOnly)(req, res, next);
  };
}
