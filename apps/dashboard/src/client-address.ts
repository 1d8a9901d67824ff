import type express from 'express';

/**
 * The client's address as express sees it: the connection's, or the one the trusted proxies name
 * (apps.dashboard.trustProxy). Without that setting behind a proxy every client has the proxy's address.
 */
export function clientAddress(req: express.Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
