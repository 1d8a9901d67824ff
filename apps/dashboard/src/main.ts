import { createAppRuntime, CycleStore, EnvStateStore } from '@stagecraft/engine';
import { createStatusApi } from './create-status-api.js';

const runtime = createAppRuntime('dashboard');
const { config, logger, keys } = runtime;
const token = config.apps.dashboard.token;
if (!token.isSet) {
  logger.fatal('the dashboard needs a token: set STAGECRAFT_DASHBOARD_TOKEN (or apps.dashboard.token in stagecraft.yaml)');
  process.exit(1);
}
const client = runtime.redis('client');
const { port } = await runtime.serve(
  createStatusApi({
    cycles: new CycleStore(client, keys),
    states: new EnvStateStore(client, keys),
    environments: Object.keys(config.environments),
    token: token.reveal(),
  }),
);
logger.info({ port }, 'dashboard ready');
