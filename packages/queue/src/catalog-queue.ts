import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueCatalog, type QueueName, type QueuePayload } from './queue-catalog.js';
import { parsePayload } from './parse-payload.js';

export interface QueueConnection {
  connection: Redis;
  prefix: string;
}

/** A BullMQ queue from the catalog: its default job options, and payloads validated on add. */
export class CatalogQueue<N extends QueueName> {
  readonly queue: Queue;

  constructor(
    readonly name: N,
    { connection, prefix }: QueueConnection,
  ) {
    this.queue = new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: queueCatalog[name].defaults,
    });
  }

  async add(jobName: string, payload: QueuePayload<N>, opts?: JobsOptions) {
    return this.queue.add(jobName, parsePayload(this.name, payload), opts);
  }

  async addBulk(jobs: Array<{ name: string; data: QueuePayload<N>; opts?: JobsOptions }>) {
    return this.queue.addBulk(jobs.map((j) => ({ ...j, data: parsePayload(this.name, j.data) })));
  }

  close() {
    return this.queue.close();
  }
}
