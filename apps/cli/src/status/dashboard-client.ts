import { CliFailure } from '../errors/cli-failure.js';
import type { CycleRecord, EnvironmentStatus } from './status-types.js';

/** The dashboard's JSON API, with the failures an operator can act on turned into one line each. */
export class DashboardClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async environments(): Promise<EnvironmentStatus[]> {
    return (await this.get<{ environments: EnvironmentStatus[] }>('/api/environments')).environments;
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

  private async get<T>(path: string): Promise<T>;
  private async get<T>(path: string, nullOn404: true): Promise<T | null>;
  private async get<T>(path: string, nullOn404 = false): Promise<T | null> {
    const url = new URL(path, this.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === 'ECONNREFUSED') {
        throw new CliFailure(`nothing answers at ${this.baseUrl}: is \`stagecraft start\` running? (or pass --url)`);
      }
      if ((err as Error).name === 'TimeoutError') throw new CliFailure(`${this.baseUrl} did not answer within 10s`);
      throw new CliFailure(`cannot reach the dashboard at ${this.baseUrl}: ${cause?.code ?? (err as Error).message}`);
    }
    if (res.status === 401) {
      throw new CliFailure(
        `the dashboard at ${this.baseUrl} refused the token (401): use the one it runs with (STAGECRAFT_DASHBOARD_TOKEN, or .stagecraft/dashboard-token where \`stagecraft start\` ran)`,
      );
    }
    if (res.status === 404 && nullOn404) return null;
    if (!res.ok) {
      const body = (await res.text()).slice(0, 300);
      throw new CliFailure(`the dashboard answered ${res.status} for ${url.pathname}: ${body || res.statusText}`);
    }
    return (await res.json()) as T;
  }
}
