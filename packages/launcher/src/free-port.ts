import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports are picked below the kernel's ephemeral range: a port the kernel hands out for `listen(0)`
 * is just as likely to be handed to an outgoing connection (a Redis client, a test's HTTP call)
 * between our check and the app's own listen, and then the app dies with EADDRINUSE. Below the
 * range only another listener can take it. Ports handed out by this process are never reused.
 */
const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > 12_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

function listensFreely(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    // 0.0.0.0, as the apps listen: a port free on 127.0.0.1 only can still be taken on another address.
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** A TCP port nothing listens on right now, outside the ephemeral range, not handed out before by this process. */
export async function freePort(): Promise<number> {
  const high = ephemeralRangeStart() - 1;
  const low = 10_000;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    if (await listensFreely(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port found between ${low} and ${high} after 200 tries: too many listeners on this machine?`);
}
