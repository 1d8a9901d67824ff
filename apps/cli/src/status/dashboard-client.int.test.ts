import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@stagecraft/launcher';
import { DashboardClient } from './dashboard-client.js';

describe('DashboardClient', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.headers.authorization !== 'Bearer right') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid token"}');
      } else if (req.url === '/api/cycles/staging-404') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no cycle staging-404"}');
      } else if (req.url?.startsWith('/api/cycles?')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"cycles":[{"id":"staging-1"}]}');
      } else {
        res.writeHead(500).end('kaput');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the token and reads the cycles', async () => {
    expect(await new DashboardClient(base, 'right').cycles('staging', 10)).toEqual([{ id: 'staging-1' }]);
    expect(seen.at(-1)).toBe('/api/cycles?limit=10&env=staging');
  });

  it('returns null for a cycle the dashboard does not know', async () => {
    expect(await new DashboardClient(base, 'right').cycle('staging-404')).toBeNull();
  });

  it('says in one line that the token was refused', async () => {
    await expect(new DashboardClient(base, 'wrong').environments()).rejects.toThrow(
      `the dashboard at ${base} refused the token (401): use the one it runs with (STAGECRAFT_DASHBOARD_TOKEN, or .stagecraft/dashboard-token where \`stagecraft start\` ran)`,
    );
  });

  it('asks whether stagecraft is running when nothing listens', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await expect(new DashboardClient(nowhere, 'right').environments()).rejects.toThrow(
      `nothing answers at ${nowhere}: is \`stagecraft start\` running? (or pass --url)`,
    );
  });

  it('reports any other failure with its status and body', async () => {
    await expect(new DashboardClient(base, 'right').environments()).rejects.toThrow('the dashboard answered 500 for /api/environments: kaput');
  });
});
