import { createServer, connect, type Server, type Socket } from 'node:net';

export interface PausableTcpProxy {
  /** The port on 127.0.0.1 to connect to instead of the target. */
  port: number;
  /** Stops forwarding in both directions without closing anything, as a network partition would. */
  pause(): void;
  /** Forwards what was held back and everything after it. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real server (Redis) whose traffic a test can hold back: the client
 * sees its commands go unanswered, which is what a worker cut off from Redis sees.
 */
export async function startPausableTcpProxy(target: { host: string; port: number }): Promise<PausableTcpProxy> {
  let paused = false;
  const held: Array<{ to: Socket; data: Buffer }> = [];
  const sockets = new Set<Socket>();
  const forward = (to: Socket) => (data: Buffer) => {
    if (paused) held.push({ to, data });
    else to.write(data);
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    port: address.port,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const { to, data } of held.splice(0)) if (!to.destroyed) to.write(data);
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
