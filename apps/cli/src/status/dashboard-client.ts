import { CliFailure } from '../errors/cli-failure.js';
import type { AuditEntry, ReleaseRecord } from '@stagecraft/engine';
import type { PromotionRequest } from '@stagecraft/policy';
import type { CycleRecord, EnvironmentsReply, EnvironmentStatus } from './status-types.js';

/** The scheduler's answer to promote/approve/reject/rollback; `queued` when it had not answered yet. */
export type PromotionReply = { ok: boolean; message: string; request?: PromotionRequest; queued?: boolean };

/** The dashboard's JSON API, with the failures an operator can act on turned into one line each. */
export class DashboardClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async environments(): Promise<EnvironmentStatus[]> {
    return (await this.status()).environments;
  }

  /** Every environment, the configured repositories, and the webhooks ingress ignored. */
  async status(): Promise<EnvironmentsReply> {
    const reply = await this.get<Partial<EnvironmentsReply> & { environments: EnvironmentStatus[] }>('/api/environments');
    // A dashboard older than this CLI sends only the environments.
    return { environments: reply.environments, repositories: reply.repositories ?? [], ignoredRepositories: reply.ignoredRepositories ?? [], exclusions: reply.exclusions ?? [] };
  }

  /** Newest first. */
  async cycles(env: string | null, limit: number): Promise<CycleRecord[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(env !== null ? { env } : {}) });
    return (await this.get<{ cycles: CycleRecord[] }>(`/api/cycles?${query}`)).cycles;
  }

  /** null when the dashboard knows no such cycle. */
  async cycle(id: string): Promise<CycleRecord | null> {
    return this.get<CycleRecord>(`/api/cycles/${encodeURIComponent(id)}`, true);
  }

  async releases(env: string | null): Promise<ReleaseRecord[]> {
    return (await this.get<{ releases: ReleaseRecord[] }>(`/api/releases${env ? `?env=${encodeURIComponent(env)}` : ''}`)).releases;
  }

  async promotions(env: string | null): Promise<PromotionRequest[]> {
    return (await this.get<{ promotions: PromotionRequest[] }>(`/api/promotions${env ? `?env=${encodeURIComponent(env)}` : ''}`)).promotions;
  }

  /** Newest first. */
  async audit(env: string | null, limit = 100): Promise<AuditEntry[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(env ? { env } : {}) });
    return (await this.get<{ audit: AuditEntry[] }>(`/api/audit?${query}`)).audit;
  }

  /** promote/approve/reject/rollback as the token's login; a refusal is an answer (409), not a failure. */
  async promotion(action: 'promote' | 'approve' | 'reject' | 'rollback' | 'override', body: Record<string, string>): Promise<PromotionReply> {
    const res = await this.send(`/api/promotions/${action}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (res.status === 202) return { ok: true, queued: true, message: ((await res.json()) as { message: string }).message };
    if (res.status === 200 || res.status === 409) return (await res.json()) as PromotionReply;
    throw new CliFailure(`the dashboard answered ${res.status} for ${action}: ${(await res.text()).slice(0, 300)}`);
  }

  private async get<T>(path: string): Promise<T>;
  private async get<T>(path: string, nullOn404: true): Promise<T | null>;
  private async get<T>(path: string, nullOn404 = false): Promise<T | null> {
    const url = new URL(path, this.baseUrl);
    const res = await this.send(path, {});
    if (res.status === 404 && nullOn404) return null;
    if (!res.ok) {
      const body = (await res.text()).slice(0, 300);
      throw new CliFailure(`the dashboard answered ${res.status} for ${url.pathname}: ${body || res.statusText}`);
    }
    return (await res.json()) as T;
  }

  /** One request; unreachable, timeouts and a refused token become one line each. */
  private async send(path: string, init: RequestInit): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    let res: Response;
    try {
      // A promotion waits for the scheduler's answer (up to 15s on the dashboard).
      res = await fetch(url, { ...init, headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) }, signal: AbortSignal.timeout(init.method === 'POST' ? 30_000 : 10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === 'ECONNREFUSED') {
        throw new CliFailure(`nothing answers at ${this.baseUrl}: is \`stagecraft start\` running? (or pass --url)`);
      }
      if ((err as Error).name === 'TimeoutError') throw new CliFailure(`${this.baseUrl} did not answer within ${init.method === 'POST' ? 30 : 10}s`);
      throw new CliFailure(`cannot reach the dashboard at ${this.baseUrl}: ${cause?.code ?? (err as Error).message}`);
    }
    if (res.status === 401) {
      throw new CliFailure(
        `the dashboard at ${this.baseUrl} refused the token (401): use the one it runs with (STAGECRAFT_DASHBOARD_TOKEN, or .stagecraft/dashboard-token where \`stagecraft start\` ran)`,
      );
    }
    return res;
  }
}
