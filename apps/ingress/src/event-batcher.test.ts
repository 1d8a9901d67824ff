import { describe, it, expect, jest, afterEach } from '@jest/globals';
import type { NormalizedEvent } from '@stagecraft/queue';
import { EventBatcher, type BulkEventQueue, type EventBatcherOptions } from './event-batcher.js';
import { EnqueueTimeoutError } from './errors/enqueue-timeout-error.js';
import { EventBatcherClosedError } from './errors/event-batcher-closed-error.js';
import { RedisUnavailableError } from './errors/redis-unavailable-error.js';

type Jobs = Parameters<BulkEventQueue['addBulk']>[0];

function pushEvent(id: string): NormalizedEvent {
  return { kind: 'push', id, receivedAt: 1, repo: 'acme/app', installationId: null, ref: 'refs/heads/main', sha: 'a', before: 'b', author: 'alice', paths: [], pushedAt: null };
}

/** A queue whose addBulk calls stay open until the test settles them. */
function controlledQueue() {
  const calls: Array<{ jobs: Jobs; resolve: () => void; reject: (err: Error) => void }> = [];
  const queue: BulkEventQueue = {
    addBulk: (jobs) => new Promise((resolve, reject) => calls.push({ jobs, resolve: () => resolve(jobs), reject })),
  };
  return { queue, calls };
}

function batcher(queue: BulkEventQueue, options: Partial<EventBatcherOptions> = {}) {
  return new EventBatcher(queue, { maxSize: 256, maxWaitMs: 2, timeoutMs: 5000, ...options });
}

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(() => { state = 'resolved'; }, () => { state = 'rejected'; });
  await new Promise((r) => setImmediate(r));
  return state;
};

afterEach(() => {
  jest.useRealTimers();
});

describe('EventBatcher', () => {
  it.each([
    ['after maxWaitMs', 2],
    ['at the end of the I/O turn when maxWaitMs is 0', 0],
  ])('writes events added together with one addBulk, %s', async (_case, maxWaitMs) => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxWaitMs });
    const adds = ['d1', 'd2', 'd3'].map((id) => events.add(pushEvent(id)));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.jobs).toEqual(['d1', 'd2', 'd3'].map((id) => ({ name: 'push', data: pushEvent(id), opts: { jobId: id } })));
    calls[0]!.resolve();
    await expect(Promise.all(adds)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('resolves a caller only once its batch is written', async () => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxWaitMs: 0 });
    const add = events.add(pushEvent('d1'));
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(1);
    expect(await settled(add)).toBe('pending');
    calls[0]!.resolve();
    expect(await settled(add)).toBe('resolved');
  });

  it.each([
    [5, 2, [2, 2, 1]],
    [4, 2, [2, 2]],
    [3, 256, [3]],
  ])('splits %i events into batches of at most %i: %j', async (count, maxSize, sizes) => {
    const { queue, calls } = controlledQueue();
    const onWrite = jest.fn();
    const events = batcher(queue, { maxSize, onWrite });
    const adds = Array.from({ length: count }, (_, i) => events.add(pushEvent(`d${i}`)));
    const flushed = events.flush();
    expect(calls.map((c) => c.jobs.length)).toEqual(sizes);
    expect(onWrite.mock.calls.map(([size]) => size)).toEqual(sizes);
    for (const c of calls) c.resolve();
    await flushed;
    await Promise.all(adds);
  });

  it('writes a full batch at once, without waiting for maxWaitMs', async () => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxSize: 2, maxWaitMs: 60_000 });
    void events.add(pushEvent('d1'));
    void events.add(pushEvent('d2'));
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
  });

  it('rejects every caller of a batch whose write fails, and only those', async () => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxSize: 2 });
    const first = [events.add(pushEvent('d1')), events.add(pushEvent('d2'))];
    const second = [events.add(pushEvent('d3')), events.add(pushEvent('d4'))];
    const failure = new Error('connection lost');
    calls[0]!.reject(failure);
    calls[1]!.resolve();
    await expect(first[0]).rejects.toBe(failure);
    await expect(first[1]).rejects.toBe(failure);
    await expect(Promise.all(second)).resolves.toEqual([undefined, undefined]);
  });

  it('fails a batch at once, writing nothing, while Redis is not available', async () => {
    const { queue, calls } = controlledQueue();
    const onWrite = jest.fn();
    const events = batcher(queue, { maxWaitMs: 0, isAvailable: () => false, onWrite });
    await expect(events.add(pushEvent('d1'))).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(calls).toHaveLength(0);
    expect(onWrite).not.toHaveBeenCalled();
  });

  it('fails a batch Redis does not confirm within timeoutMs', async () => {
    jest.useFakeTimers();
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxWaitMs: 2, timeoutMs: 1000 });
    const add = events.add(pushEvent('d1'));
    const outcome = add.catch((err: unknown) => err);
    await jest.advanceTimersByTimeAsync(2);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(outcome).resolves.toBeInstanceOf(EnqueueTimeoutError);
  });

  it('writes what is pending on close, then refuses new events', async () => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxWaitMs: 60_000 });
    const add = events.add(pushEvent('d1'));
    const closing = events.close();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    await closing;
    await expect(add).resolves.toBeUndefined();
    await expect(events.add(pushEvent('d2'))).rejects.toBeInstanceOf(EventBatcherClosedError);
    expect(calls).toHaveLength(1);
  });

  it('flush waits for writes under way', async () => {
    const { queue, calls } = controlledQueue();
    const events = batcher(queue, { maxSize: 1 });
    void events.add(pushEvent('d1'));
    const flushed = events.flush();
    expect(await settled(flushed)).toBe('pending');
    calls[0]!.resolve();
    expect(await settled(flushed)).toBe('resolved');
  });
});
