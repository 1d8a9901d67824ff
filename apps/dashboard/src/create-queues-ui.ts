import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue, type ConnectionOptions } from 'bullmq';
import type express from 'express';

/**
 * Bull Board for every Stagecraft queue, served at `basePath`, twice over the same queues: a read-only
 * board and one that can change jobs and queues (queues-ui-access.ts picks one per login).
 */
export function createQueuesUi(queueNames: string[], opts: { connection: ConnectionOptions; prefix: string; basePath: string }) {
  const queues = queueNames.map((name) => new Queue(name, { connection: opts.connection, prefix: opts.prefix }));
  const board = (readOnlyMode: boolean) => {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(opts.basePath);
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode })),
      serverAdapter,
      options: { uiConfig: { boardTitle: readOnlyMode ? 'Stagecraft queues (read-only)' : 'Stagecraft queues' } },
    });
    return serverAdapter.getRouter() as express.Router;
  };
  return {
    readOnly: board(true),
    admin: board(false),
    close: () => Promise.all(queues.map((q) => q.close())).then(() => undefined),
  };
}
