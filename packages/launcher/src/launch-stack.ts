import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig, type StagecraftConfig } from '@stagecraft/config';
import { APP_NAMES, appConfigKey, type AppName } from './app-names.js';
import { ensureRedis, type RedisHandle } from './ensure-redis.js';
import { LaunchFailure } from './errors/launch-failure.js';
import { freePort } from './free-port.js';
import { LOCAL_SECRET_FILES, writeLocalSecret } from './local-secrets.js';
import { MergedLog } from './merged-log.js';
import { portInUse } from './port-in-use.js';
import { resolveConfigPath } from './resolve-config-path.js';
import { Supervisor, type ProcessSpec } from './supervisor.js';
import { waitForHealthy } from './wait-for-healthy.js';

export interface LaunchStackOptions {
  root: string;
  cwd: string;
  configPath: string | null;
  only: AppName[] | null;
  replicas: Partial<Record<AppName, number>>;
  /** Demo: make up a webhook secret when none is set, instead of refusing to start. */
  generateWebhookSecret: boolean;
  /** The environment the apps start from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Added to every app's environment (e.g. DEMO_STATE_DIR). */
  extraEnv?: Record<string, string>;
  /**
   * 'configured': the first replica of each app listens on its `apps.<app>.port`, as `stagecraft
   * start` runs them; 'free': every instance on a port nothing uses, so stacks (tests) run side by side.
   */
  ports?: 'configured' | 'free';
  color: boolean;
  /** Where the merged log goes (default: stdout). */
  write?: (text: string) => void;
  /** Show app log lines from this pino level up (all lines go to `logFile`). */
  minLevel?: number;
  logFile?: string | null;
  /** How long the apps may take to answer /healthz (default 90 s). */
  healthTimeoutMs?: number;
  /** Called once when the stack cannot keep running (an app crashes too often). */
  onFatal: (reason: string) => void;
}

export interface AppInstance {
  app: AppName;
  /** `deploy`, or `deploy#2` for a further replica. */
  label: string;
  port: number;
  /** /metrics is served here, not on `port`. */
  metricsPort: number;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
}

export interface RunningStack {
  config: StagecraftConfig;
  /** The environment the apps run with. */
  env: NodeJS.ProcessEnv;
  log: MergedLog;
  /** Every app process, in start order. */
  apps: AppInstance[];
  ingressUrl: string;
  dashboardUrl: string;
  /** Where the generated dashboard token was written, relative to cwd; null when it came from env/config. */
  dashboardTokenFile: string | null;
  webhookSecret: string | null;
  /** Sends a signal to one app process by its label; the supervisor restarts it if it exits. */
  kill(label: string, signal: NodeJS.Signals): boolean;
  /** Stops the apps (SIGTERM, SIGKILL after 10 s), then the private Redis if one was started. */
  stop(): Promise<void>;
}

/**
 * What `start` and `demo` share: secrets, Redis, every app as a supervised child process with
 * one log stream, and the wait until each answers /healthz. `registerStop` receives the stop
 * function as soon as anything needs stopping, so a Ctrl-C during startup cleans up too.
 */
export async function launchStack(options: LaunchStackOptions, registerStop: (stop: () => Promise<void>) => void): Promise<RunningStack> {
  const { root, cwd } = options;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), ...options.extraEnv };
  delete env['PORT'];
  const configPath = resolveConfigPath(options.configPath, env, cwd, root);
  if (configPath !== null) env['STAGECRAFT_CONFIG'] = configPath;
  let apps = options.only ?? [...APP_NAMES];
  const notes: string[] = [];

  if (options.generateWebhookSecret && !env['GITHUB_WEBHOOK_SECRET']) {
    env['GITHUB_WEBHOOK_SECRET'] = randomBytes(24).toString('hex');
    const file = writeLocalSecret(cwd, LOCAL_SECRET_FILES.webhookSecret, env['GITHUB_WEBHOOK_SECRET']);
    notes.push(`generated a webhook secret for this run, in ${relative(cwd, file)} (send-webhook uses it)`);
  }
  let config = load(configPath, env);
  if (!options.only && config.github.appId === null) {
    // The notifier only talks to GitHub; without an App there is nothing for it to do.
    apps = apps.filter((a) => a !== 'notifier');
    notes.push('the notifier is not started: no GitHub App is configured (github.appId, github.privateKey)');
  }
  if (apps.includes('ingress') && !config.github.webhookSecret.isSet) {
    throw new LaunchFailure(
      'GITHUB_WEBHOOK_SECRET is not set: set it to your GitHub App\'s webhook secret (or run `stagecraft demo` to try Stagecraft with a generated one)',
    );
  }
  let dashboardTokenFile: string | null = null;
  if (apps.includes('dashboard') && !config.apps.dashboard.token.isSet) {
    env['STAGECRAFT_DASHBOARD_TOKEN'] = randomBytes(24).toString('base64url');
    dashboardTokenFile = relative(cwd, writeLocalSecret(cwd, LOCAL_SECRET_FILES.dashboardToken, env['STAGECRAFT_DASHBOARD_TOKEN']));
    config = load(configPath, env);
    if (!config.apps.dashboard.token.isSet) {
      throw new LaunchFailure('the config reads apps.dashboard.token from somewhere other than STAGECRAFT_DASHBOARD_TOKEN: set the token there');
    }
    notes.push(`generated a dashboard token for this run, in ${dashboardTokenFile} (status uses it)`);
  }

  for (const app of apps) {
    if (!existsSync(mainFile(root, app))) {
      throw new LaunchFailure(`${relative(cwd, mainFile(root, app))} is missing: build the apps first (pnpm build)`);
    }
  }
  const instances: AppInstance[] = [];
  for (const app of apps) {
    const count = options.replicas[app] ?? 1;
    for (let i = 1; i <= count; i++) {
      // Replicas beyond the first cannot share the configured port. Metrics always get a free port:
      // nothing scrapes a local stack, and the configured ones would clash with a second stack.
      const port = i === 1 && options.ports !== 'free' ? config.apps[appConfigKey(app)].port : await freePort();
      instances.push({ app, label: count > 1 ? `${app}#${i}` : app, port, metricsPort: await freePort(), url: `http://127.0.0.1:${port}` });
    }
  }
  for (const i of instances) {
    if (await portInUse(i.port)) {
      throw new LaunchFailure(
        `port ${i.port} for ${i.label} is already in use: is another \`stagecraft start\` running? Stop it, or change apps.${appConfigKey(i.app)}.port`,
      );
    }
  }
  const log = new MergedLog({
    labels: instances.map((i) => i.label),
    color: options.color,
    minLevel: options.minLevel ?? 0,
    file: options.logFile ?? null,
    ...(options.write ? { write: options.write } : {}),
  });
  for (const note of notes) log.cli(note);

  let redis: RedisHandle | null = null;
  let supervisor: Supervisor | null = null;
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await supervisor?.stop(10_000);
      await redis?.stop();
    })());
  registerStop(stop);

  redis = await ensureRedis(config.redis.url, { log: (line) => log.cli(line) });

  let gaveUp: string | null = null;
  supervisor = new Supervisor(
    instances.map((i): ProcessSpec => ({
      label: i.label,
      command: process.execPath,
      args: [mainFile(root, i.app)],
      cwd: root,
      env: { ...env, PORT: String(i.port), METRICS_PORT: String(i.metricsPort) },
    })),
    {
      output: (label, line) => log.app(label, line),
      notice: (line) => log.cli(line),
      onGiveUp: (label) => {
        gaveUp ??= `${label} keeps crashing: stopping stagecraft (its log lines above say why)`;
        options.onFatal(gaveUp);
      },
    },
  );
  supervisor.start();
  await waitForHealthy(
    instances.map((i) => ({ label: i.label, url: `${i.url}/healthz` })),
    { timeoutMs: options.healthTimeoutMs ?? 90_000, abandoned: () => gaveUp },
  );
  const portOf = (app: AppName) => instances.find((i) => i.app === app)?.port ?? config.apps[appConfigKey(app)].port;

  return {
    config,
    env,
    log,
    apps: instances,
    ingressUrl: `http://127.0.0.1:${portOf('ingress')}/webhooks`,
    dashboardUrl: `http://127.0.0.1:${portOf('dashboard')}`,
    dashboardTokenFile,
    webhookSecret: config.github.webhookSecret.isSet ? config.github.webhookSecret.reveal() : null,
    kill: (label, signal) => supervisor?.kill(label, signal) ?? false,
    stop,
  };
}

function load(path: string | null, env: NodeJS.ProcessEnv): StagecraftConfig {
  return loadConfig({ ...(path !== null ? { path } : {}), env });
}

function mainFile(root: string, app: AppName): string {
  return join(root, 'apps', app, 'dist', 'main.js');
}
