import { createCatalogWorker } from '@stagecraft/queue';
import { createAppRuntime, CycleStore, HeadsStore } from '@stagecraft/engine';
import { CyclePublisher, ExcludedLabelMarks, githubAppFromConfig, postExclusion, postMainBroken, postNotification, postWaiting, UnknownRepositoryError } from '@stagecraft/github';

const runtime = createAppRuntime('notifier');
const { config, logger, prefix, keys } = runtime;
const github = githubAppFromConfig(config, logger);
if (!github) {
  logger.fatal('the notifier posts to GitHub: set github.appId and github.privateKey ({ file: PATH } or { env: NAME })');
  process.exit(1);
}
const client = runtime.redis('client');
const publicUrl = config.apps.dashboard.publicUrl?.replace(/\/+$/, '') ?? null;
const cycles = new CycleStore(client, keys);
const excludedLabels = new ExcludedLabelMarks(client, keys);
const heads = new HeadsStore(client, keys);
const publisher = new CyclePublisher({
  redis: client,
  keys,
  cycles,
  github,
  checkName: config.github.checkName,
  cycleUrl: (id) => (publicUrl ? `${publicUrl}/cycles/${encodeURIComponent(id)}` : null),
  productionEnvironments: Object.entries(config.environments).filter(([, e]) => e.approval).map(([name]) => name),
  deployments: config.github.deployments,
  clock: Date.now,
  logger,
});

// A notification is a job keyed by what it answers, so a redelivered webhook posts nothing twice;
// cycle reports are rendered from the cycle's record, so whichever job runs last shows the latest.
const worker = createCatalogWorker(
  'notifications',
  async (job, queued) => {
    if (job.type === 'cycle') return publisher.publish(job.cycleId, job.installationId);
    if (job.type === 'main-broken') {
      const told = await postMainBroken(github, cycles, job, { checkName: config.github.checkName, clock: Date.now });
      if (told === 0) logger.warn({ jobId: job.key, cycleId: job.originCycleId }, 'main alone fails, but the cycle that showed it is no longer recorded: nothing posted on main');
      return;
    }
    try {
      // In the repository the command or PR is in, through the installation its webhook named.
      // The scheduler queued it with the verdict: cycles started since then may bring the PR back.
      if (job.type === 'exclusion') return await postExclusion(github, cycles, job, { botName: config.github.botName, marks: excludedLabels, excludedAt: queued.timestamp });
      if (job.type === 'waiting') {
        const outcome = await postWaiting(job, { redis: client, keys, github, heads, checkName: config.github.checkName });
        if (outcome !== 'posted') logger.debug({ jobId: job.key, outcome }, 'waiting notice passed over: GitHub shows newer news of the PR');
        return;
      }
      return await postNotification(github, job);
    } catch (err) {
      // A repository taken out of the config since the job was queued: retrying cannot help.
      if (!(err instanceof UnknownRepositoryError)) throw err;
      logger.warn({ jobId: job.key, repo: job.repo, err: err.message }, 'dropped a notification for a repository no longer configured');
    }
  },
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
