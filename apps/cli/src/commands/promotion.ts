import type { AuditEntry, ReleaseRecord } from '@stagecraft/engine';
import type { PromotionRequest } from '@stagecraft/policy';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { DashboardClient } from '../status/dashboard-client.js';
import { resolveDashboardToken } from '../status/dashboard-token.js';
import { prLabel } from '../status/pr-label.js';
import { textTable } from '../status/text-table.js';
import { defaultUrl } from './status.js';

const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) : '—');
const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '—');

/**
 * `stagecraft releases | promote | approve | reject | rollback | audit`, through the dashboard API:
 * the token's login is who promotes or approves, under the same rules as `@bot promote` on a PR.
 */
export async function promotionCommand(cmd: Extract<CliCommand, { name: 'promotion' }>, io: CliIo): Promise<number> {
  const client = new DashboardClient(cmd.url ?? defaultUrl(cmd.configPath, io), resolveDashboardToken(cmd.token, io.env, io.cwd));
  const print = (value: unknown, text: () => string[]) => io.out(cmd.json ? `${JSON.stringify(value, null, 2)}\n` : `${text().join('\n')}\n`);
  switch (cmd.action) {
    case 'releases': {
      const releases = await client.releases(cmd.env);
      const open = await client.promotions(null);
      print({ releases, promotions: open }, () => [...releaseLines(releases), ...(open.some(isOpen) ? ['', 'Open promotion requests:', ...requestLines(open.filter(isOpen))] : [])]);
      return 0;
    }
    case 'audit': {
      const audit = await client.audit(cmd.env);
      print({ audit }, () => auditLines(audit));
      return 0;
    }
    default: {
      const body: Record<string, string> = {
        ...(cmd.env ? { env: cmd.env } : {}),
        ...(cmd.release ? { release: cmd.release } : {}),
        ...(cmd.request ? { request: cmd.request } : {}),
        ...(cmd.reason ? { reason: cmd.reason } : {}),
      };
      const reply = await client.promotion(cmd.action, body);
      print(reply, () => [reply.ok ? reply.message : `refused: ${reply.message}`]);
      return reply.ok ? 0 : 1;
    }
  }
}

function isOpen(r: PromotionRequest): boolean {
  return r.state === 'waiting' || r.state === 'approved' || r.state === 'deploying';
}

function releaseLines(releases: ReleaseRecord[]): string[] {
  if (releases.length === 0) return ['No releases yet: a release is recorded when a cycle deploys.'];
  return textTable(
    ['RELEASE', 'ENV', 'KIND', 'OUTCOME', 'STAGING', 'PRS', 'FROM', 'WHEN'],
    // A release of several repositories names each PR with its repository (and STAGING is the first one's).
    releases.map((r) => [r.id, r.env, r.cycleKind, r.outcome, short(r.stagingSha ?? r.mainSha), r.prs.map((p) => prLabel(p, (r.repos ?? []).map((x) => x.repo))).join(' ') || '—', r.sourceRelease ?? '—', time(r.createdAt)]),
  );
}

function requestLines(requests: PromotionRequest[]): string[] {
  return textTable(
    ['REQUEST', 'ACTION', 'RELEASE', 'STATE', 'APPROVALS', 'ASKED BY', 'EXPIRES'],
    requests.map((r) => [r.id, r.action, r.releaseId, r.state, `${r.approvals.length}/${r.required} ${r.approvals.map((a) => a.by).join(',')}`.trim(), r.requestedBy, time(r.expiresAt)]),
  );
}

function auditLines(audit: AuditEntry[]): string[] {
  if (audit.length === 0) return ['Nothing promoted, approved or refused yet.'];
  return textTable(
    ['WHEN', 'ENV', 'STEP', 'BY', 'REQUEST', 'RELEASE', 'MESSAGE'],
    [...audit].reverse().map((a) => [time(a.at), a.env, a.step, a.by ?? '—', a.request ?? '—', a.release ?? '—', a.message]),
  );
}
