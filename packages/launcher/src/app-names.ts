/** Every app `stagecraft start` runs, in start order: the API surface last, once workers are up. */
export const APP_NAMES = ['scheduler', 'compose', 'build', 'drain', 'deploy', 'test-kernel', 'notifier', 'ingress', 'dashboard'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** The key of an app's section under `apps:` in stagecraft.yaml (YAML keys are camelCase). */
export type AppConfigKey = 'scheduler' | 'compose' | 'build' | 'drain' | 'deploy' | 'testKernel' | 'notifier' | 'ingress' | 'dashboard';

export function appConfigKey(app: AppName): AppConfigKey {
  return app === 'test-kernel' ? 'testKernel' : app;
}

export function isAppName(name: string): name is AppName {
  return (APP_NAMES as readonly string[]).includes(name);
}
