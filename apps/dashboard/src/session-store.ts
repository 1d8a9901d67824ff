import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Session {
  id: string;
  login: string;
  /** The synchronizer token every POST of this session must carry. */
  csrf: string;
  createdAt: number;
}

/** Logins live in Redis, so every dashboard replica knows them and a logout ends them everywhere. */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (id: string) => string,
    private readonly ttlMs: number,
  ) {}

  async create(login: string, now: number): Promise<Session> {
    const session: Session = { id: randomBytes(32).toString('base64url'), login, csrf: randomBytes(32).toString('base64url'), createdAt: now };
    await this.redis.set(this.keyOf(session.id), JSON.stringify(session), 'PX', this.ttlMs);
    return session;
  }

  async get(id: string | undefined): Promise<Session | null> {
    if (!id || !/^[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
    const raw = await this.redis.get(this.keyOf(id));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.keyOf(id));
  }
}
