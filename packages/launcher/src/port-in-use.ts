import { createServer } from 'node:net';

/** True when something already listens on the TCP port (on any address). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(true) : reject(err)));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}
