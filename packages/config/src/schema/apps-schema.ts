import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';
import { durationSchema } from './duration-schema.js';
import { trustProxySchema } from './trust-proxy-schema.js';

const port = (defaultPort: number) => z.number().int().min(0).max(65535).default(defaultPort);
const portOnly = (defaultPort: number) => z.strictObject({ port: port(defaultPort) }).prefault({});

const byteSize = z
  .union([z.string().regex(/^\s*\d+(?:\.\d+)?\s*(b|kb|mb|gb)?\s*$/i, 'expected a size like "1mb", "512kb" or a byte count'), z.number().int().min(0)], {
    error: 'expected a size like "1mb", "512kb" or a byte count',
  })
  .transform(String);

export function appsSchema(secrets: SecretContext) {
  return z.strictObject({
    ingress: z
      .strictObject({
        port: port(3000),
        bodyLimit: byteSize.default('1mb'),
        batchMaxSize: z.number().int().min(1).default(256),
        batchMaxWaitMs: z.number().int().min(0).default(2),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        port: port(3001),
        /** Where people reach the dashboard (e.g. "https://stagecraft.example.com"); PR reports link cycles there. */
        publicUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like "https://stagecraft.example.com"' }).nullable().default(null),
        token: secretSchema(secrets).prefault({ env: 'STAGECRAFT_DASHBOARD_TOKEN' }),
        /** Who logging in with `token` is: actions run as this GitHub login, under the same rules as PR commands. */
        tokenUser: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected a GitHub login like "alice"').default('dashboard'),
        /** More people, each with a token of their own; their actions are recorded under their login. */
        users: z.array(z.strictObject({ login: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected a GitHub login like "alice"'), token: secretSchema(secrets) })).default([]),
        /** How long a login lasts. */
        sessionTtl: durationSchema({ positive: true }).prefault('12h'),
        /** Logins that may change jobs and queues in Bull Board (retry, remove, pause…); everyone else sees it read-only. */
        admins: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected a GitHub login like "alice"')).default([]),
        /** Wrong login or bearer tokens one client address may send within `authFailureWindow` before it is refused (429) until the window ends. */
        authFailureLimit: z.number().int().min(1).default(10),
        authFailureWindow: durationSchema({ positive: true }).prefault('15m'),
        /** Behind a proxy, which proxies name the client (express 'trust proxy'); else every client has the proxy's address and they share one failure count. */
        trustProxy: trustProxySchema.default(false),
      })
      .prefault({}),
    scheduler: portOnly(9101),
    compose: portOnly(9102),
    build: portOnly(9103),
    drain: portOnly(9104),
    deploy: portOnly(9105),
    testKernel: portOnly(9106),
    notifier: portOnly(9107),
  });
}
