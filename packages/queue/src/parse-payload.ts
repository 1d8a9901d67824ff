import { queueCatalog, type QueueName, type QueuePayload } from './queue-catalog.js';
import { InvalidPayloadError } from './errors/invalid-payload-error.js';

export function parsePayload<N extends QueueName>(name: N, data: unknown): QueuePayload<N> {
  const parsed = queueCatalog[name].schema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidPayloadError(name, detail);
  }
  return parsed.data as QueuePayload<N>;
}
