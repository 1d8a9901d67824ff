import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';
import { durationSchema } from './duration-schema.js';
import { trustProxySchema } from './trust-proxy-schema.js';

const port = (defaultPort: number) => z.number().int().min(0).max(65535).default(defaultPort);
/** `metricsPort` serves /metrics apart from `port`, so publishing an app's port never publishes its metrics. */
const portsOnly = (defaultPort: number, defaultMetricsPort: number) =>
  z.strictObject({ port: port(defaultPort), metricsPort: port(defaultMetricsPort) }).prefault({});

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
        metricsPort: port(4000),
        bodyLimit: byteSize.default('1mb'),
        /** How long a client may take to send a webhook's headers and body; GitHub itself gives up after 10 s. */
        requestTimeout: durationSchema({ positive: true }).prefault('10s'),
        /** Bytes of bodies not yet verified the ingress holds at once, over all connections; past it new bodies get 503. */
        maxUnverifiedBytes: byteSize.default('64mb'),
        batchMaxSize: z.number().int().min(1).default(256),
        batchMaxWaitMs: z.number().int().min(0).default(2),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        port: port(3001),
        metricsPort: port(4001),
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
    scheduler: portsOnly(9101, 10101),
    compose: portsOnly(9102, 10102),
    build: portsOnly(9103, 10103),
    drain: portsOnly(9104, 10104),
    deploy: portsOnly(9105, 10105),
    testKernel: portsOnly(9106, 10106),
    notifier: portsOnly(9107, 10107),
  });
}
