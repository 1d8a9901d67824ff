import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { IgnoredRepositoryTally, TALLY_RETRY_MS, type TallyRedis } from './ignored-repository-tally.js';

const KEY = 'sc:ingress:ignored-repositories';

/** A connection that records each pipeline it executes; `fail` makes exec reject like a lost connection. */
function recordingRedis() {
  const pipelines: Array<Array<[string, string, number]>> = [];
  const state = { fail: false };
  const redis: TallyRedis = {
    pipeline() {
      const commands: Array<[string, string, number]> = [];
      return {
        hincrby: (key: string, field: string, n: number) => commands.push([key, field, n]),
        exec: async () => {
          if (state.fail) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
          pipelines.push(commands);
          return commands.map(() => [null, 1] as [Error | null, unknown]);
        },
      };
    },
  };
  return { redis, pipelines, state };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('IgnoredRepositoryTally', () => {
  it('writes many webhooks as one pipeline with one HINCRBY per repository, in lower case', async () => {
    const { redis, pipelines } = recordingRedis();
    const tally = new IgnoredRepositoryTally(redis, { key: KEY, maxWaitMs: 2 });
    for (let i = 0; i < 1000; i++) tally.count(i % 2 ? 'acme/other' : 'Acme/Other');
    tally.count('octo/third');
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(pipelines).toEqual([[[KEY, 'acme/other', 1000], [KEY, 'octo/third', 1]]]);
  });

  it('goes out at once with a batch of events (write), without waiting for its own timer', async () => {
    const { redis, pipelines } = recordingRedis();
    const tally = new IgnoredRepositoryTally(redis, { key: KEY, maxWaitMs: 60_000 });
    tally.count('acme/other');
    await tally.write();
    expect(pipelines).toEqual([[[KEY, 'acme/other', 1]]]);
    await tally.write();
    expect(pipelines).toHaveLength(1);
  });

  it('keeps the counts while Redis is away and writes them once it is back', async () => {
    jest.useFakeTimers();
    const { redis, pipelines } = recordingRedis();
    let available = false;
    const tally = new IgnoredRepositoryTally(redis, { key: KEY, maxWaitMs: 0, isAvailable: () => available });
    tally.count('acme/other');
    await tally.write();
    expect(pipelines).toEqual([]);

    available = true;
    tally.count('acme/other');
    await jest.advanceTimersByTimeAsync(TALLY_RETRY_MS);
    expect(pipelines).toEqual([[[KEY, 'acme/other', 2]]]);
  });

  it('keeps the counts of a write the connection lost and sends them with the next', async () => {
    jest.useFakeTimers();
    const { redis, pipelines, state } = recordingRedis();
    const errors: unknown[] = [];
    const tally = new IgnoredRepositoryTally(redis, { key: KEY, maxWaitMs: 0, onError: (err) => errors.push(err) });
    state.fail = true;
    tally.count('acme/other');
    await tally.write();
    expect(errors).toHaveLength(1);

    state.fail = false;
    await jest.advanceTimersByTimeAsync(TALLY_RETRY_MS);
    expect(pipelines).toEqual([[[KEY, 'acme/other', 1]]]);
  });

  it('writes what is pending when it closes', async () => {
    const { redis, pipelines } = recordingRedis();
    const tally = new IgnoredRepositoryTally(redis, { key: KEY, maxWaitMs: 60_000 });
    tally.count('acme/other');
    await tally.close();
    expect(pipelines).toEqual([[[KEY, 'acme/other', 1]]]);
  });
});
