import { createServer, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import type { Logger } from './create-logger.js';

export interface RunningHttpServer {
  /** The port it listens on (the real one when asked for port 0). */
  port: number;
  /**
   * Stops accepting, lets requests that have fully arrived finish, drops connections still sending
   * a request (a stalled client must not hold the shutdown), closes keep-alive connections; idempotent.
   */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  /** An express app or router, or a bare request listener (the ingress's hot path). */
  app: express.Express | express.Router | RequestListener;
  port: number;
  host?: string;
  logger: Logger;
  /**
   * How long a client may take to send a request's headers and body; past it the server answers
   * 408 and closes the connection. Unset: Node's defaults (60 s for headers, 300 s in all).
   */
  requestTimeoutMs?: number;
}

// How often a closing server looks for connections that have gone idle since the last look.
const IDLE_SWEEP_MS = 50;

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(timeoutOptions(opts.requestTimeoutMs), toRequestListener(opts.app));
  // Behind a load balancer keep-alive must outlive the balancer's idle timeout.
  server.keepAliveTimeout = 65_000;
  // Each open connection and the response it last started, so close() can tell a connection whose
  // request has arrived (let it finish) from one still sending (drop it).
  const connections = new Set<Socket>();
  const lastResponse = new WeakMap<Socket, ServerResponse>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => lastResponse.set(req.socket, res));
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
      // Idle connections and those still sending headers or a body are dropped now: a client
      // that stalls would otherwise keep the process up until its request timed out.
      for (const socket of connections) {
        const res = lastResponse.get(socket);
        const answering = res !== undefined && res.req.complete && !res.writableFinished;
        if (!answering) socket.destroy();
      }
    }));
  return { port, close };
}

function timeoutOptions(requestTimeoutMs: number | undefined): ServerOptions {
  if (requestTimeoutMs === undefined) return {};
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    // Node looks for expired requests on this interval (30 s by default): a tenth of the timeout
    // keeps a client from getting much more than its time, at most once a second.
    connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(requestTimeoutMs / 10))),
  };
}

function toRequestListener(app: HttpServerOptions['app']): RequestListener {
  // A router is not a request listener by itself: it needs an app to hand unmatched requests to.
  const isRouter = 'stack' in app && !('listen' in app);
  return isRouter ? (express().use(app as express.Router) as unknown as RequestListener) : (app as RequestListener);
}
