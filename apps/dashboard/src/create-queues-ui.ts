import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue, type ConnectionOptions } from 'bullmq';
import type express from 'express';

/** Bull Board for every Stagecraft queue, served at `basePath`. */
export function createQueuesUi(queueNames: string[], opts: { connection: ConnectionOptions; prefix: string; basePath: string }) {
  const queues = queueNames.map((name) => new Queue(name, { connection: opts.connection, prefix: opts.prefix }));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(opts.basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'Stagecraft queues' } } });
  return {
    router: serverAdapter.getRouter() as express.Router,
    close: () => Promise.all(queues.map((q) => q.close())).then(() => undefined),
  };
}
