import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { Logger } from './create-logger.js';

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(opts: { app: RequestListener; port: number; host?: string; logger: Logger }): Promise<RunningHttpServer> {
  const server = createServer(opts.app);
  // Behind a load balancer keep-alive must outlive the balancer's idle timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ port }, 'listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
