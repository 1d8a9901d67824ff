import { createCatalogWorker } from '@stagecraft/queue';
import { createAppRuntime, githubAppFromConfig } from '@stagecraft/engine';
import { postNotification } from '@stagecraft/github';

const runtime = createAppRuntime('notifier');
const { config, logger, prefix } = runtime;
const github = githubAppFromConfig(config, logger);
if (!github) {
  logger.fatal('the notifier posts to GitHub: set github.appId and github.privateKey ({ file: PATH } or { env: NAME })');
  process.exit(1);
}

// A notification is a job keyed by what it answers, so a redelivered webhook posts nothing twice.
const worker = createCatalogWorker(
  'notifications',
  async (job) => postNotification(await github.client(job.installationId), github.repo, job),
  {
    connection: runtime.redis('worker'),
    prefix,
    concurrency: 4,
    lockDuration: config.workers.lockDuration,
    stalledInterval: config.workers.stalledInterval,
  },
);
worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'notification failed'));
runtime.onShutdown('worker', () => worker.close());
const { port } = await runtime.serve();
logger.info({ port }, 'notifier ready');
