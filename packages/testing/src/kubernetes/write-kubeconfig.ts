import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a kubeconfig with a context "fake" pointing at `server` with a bearer token, for the real
 * client-node to load. Its current context is "elsewhere", a port nothing listens on: settings
 * must name `context: fake`, which shows the context setting is applied.
 */
export function writeKubeconfig(dir: string, options: { server: string; token: string; namespace?: string; file?: string }): string {
  const path = join(dir, options.file ?? 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      // client-node refuses plain http unless TLS verification is off, as for any http server.
      { name: 'fake', cluster: { server: options.server, 'insecure-skip-tls-verify': true } },
      { name: 'elsewhere', cluster: { server: 'http://127.0.0.1:9', 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'fake-user', user: { token: options.token } }],
    contexts: [
      { name: 'fake', context: { cluster: 'fake', user: 'fake-user', namespace: options.namespace ?? 'default' } },
      { name: 'elsewhere', context: { cluster: 'elsewhere', user: 'fake-user' } },
    ],
    'current-context': 'elsewhere',
  };
  // JSON is YAML: client-node reads it as any kubeconfig.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
