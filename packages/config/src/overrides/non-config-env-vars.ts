/**
 * STAGECRAFT_* variables that are not config overrides: the config path and dashboard token the CLI
 * sets, and what every stage command receives (packages/executors stage-env), which a Stagecraft
 * process started from a stage command inherits; and the app the container image runs
 * (deploy/docker/stagecraft-app.sh).
 */
export const NON_CONFIG_ENV_VARS: ReadonlySet<string> = new Set([
  'STAGECRAFT_CONFIG',
  'STAGECRAFT_DASHBOARD_TOKEN',
  'STAGECRAFT_CYCLE',
  'STAGECRAFT_ENV',
  'STAGECRAFT_STAGE',
  'STAGECRAFT_KIND',
  'STAGECRAFT_SHA',
  'STAGECRAFT_MAIN_SHA',
  'STAGECRAFT_COMPONENTS',
  'STAGECRAFT_REBUILD',
  'STAGECRAFT_PRS',
  'STAGECRAFT_ATTEMPT',
  'STAGECRAFT_RESULTS',
  'STAGECRAFT_WATCHDOG_COMMAND',
  'STAGECRAFT_APP',
  'STAGECRAFT_APP_ROOT',
]);
