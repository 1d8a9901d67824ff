import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '@stagecraft/telemetry';
import { startWebhookProxy } from './start-webhook-proxy.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('startWebhookProxy: a smee.io channel forwarded to the ingress', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
    servers.length = 0;
  });

  it('posts each delivery of the channel to the target with its GitHub headers and body', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    // A channel as smee.io serves it: server-sent events, each delivery's headers and parsed body as one JSON message.
    const channel = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('event: ready\ndata: {}\n\n');
      const delivery = {
        'x-github-event': 'push',
        'x-github-delivery': 'd-1',
        'x-hub-signature-256': 'sha256=abc',
        host: 'smee.io',
        body: { ref: 'refs/heads/main', after: 'a1' },
        timestamp: Date.now(),
      };
      setTimeout(() => res.write(`data: ${JSON.stringify(delivery)}\n\n`), 50);
    });
    servers.push(target, channel);
    const targetUrl = await listen(target);
    const channelUrl = await listen(channel);
    const proxy = await startWebhookProxy({ source: `${channelUrl}/channel`, target: `${targetUrl}/webhooks`, logger: createLogger({ app: 'test', level: 'silent' }) });
    try {
      const deadline = Date.now() + 5000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received).toHaveLength(1);
      expect(received[0]!.headers).toMatchObject({ 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'x-hub-signature-256': 'sha256=abc', 'content-type': 'application/json' });
      expect(received[0]!.headers.host).not.toBe('smee.io');
      expect(JSON.parse(received[0]!.body)).toEqual({ ref: 'refs/heads/main', after: 'a1' });
    } finally {
      await proxy.stop();
    }
  });
});
