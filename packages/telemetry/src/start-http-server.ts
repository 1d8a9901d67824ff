import { createServer, type RequestListener } from 'node:http';
import express from 'express';
import type { Logger } from './create-logger.js';

export interface RunningHttpServer {
  /** The port it listens on (the real one when asked for port 0). */
  port: number;
  /** Stops accepting, lets requests in flight finish, closes keep-alive connections; idempotent. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  /** An express app or router, or a bare request listener (the ingress's hot path). */
  app: express.Express | express.Router | RequestListener;
  port: number;
  host?: string;
  logger: Logger;
}

// How often a closing server looks for connections that have gone idle since the last look.
const IDLE_SWEEP_MS = 50;

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(toRequestListener(opts.app));
  // Behind a load balancer keep-alive must outlive the balancer's idle timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger.error({ err: err.message }, 'http server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ port, host: opts.host ?? '0.0.0.0' }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      // A request that arrives on an open keep-alive connection is still answered, then that
      // connection closes; prepended so the header is set before any handler writes.
      server.prependListener('request', (_req, res) => {
        if (!res.headersSent) res.setHeader('Connection', 'close');
      });
      // A connection busy when close() began goes idle once its response is sent; without the
      // sweep it would keep the server open for the whole keep-alive timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      server.close(() => {
        clearInterval(sweep);
        opts.logger.info({ port }, 'http server closed');
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { port, close };
}

function toRequestListener(app: HttpServerOptions['app']): RequestListener {
  // A router is not a request listener by itself: it needs an app to hand unmatched requests to.
  const isRouter = 'stack' in app && !('listen' in app);
  return isRouter ? (express().use(app as express.Router) as unknown as RequestListener) : (app as RequestListener);
}
