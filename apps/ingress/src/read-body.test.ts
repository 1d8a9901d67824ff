import { describe, it, expect } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readBody } from './read-body.js';
import { BodyTooLargeError } from './errors/body-too-large-error.js';
import { UnverifiedBytesCapReachedError } from './errors/unverified-bytes-cap-reached-error.js';
import { UnverifiedBodyBudget } from './unverified-body-budget.js';

function request(headers: Record<string, string> = {}) {
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string> };
  stream.headers = headers;
  return stream;
}

const asRequest = (stream: PassThrough) => stream as unknown as IncomingMessage;

describe('readBody', () => {
  it.each<[string, Buffer[]]>([
    ['one chunk', [Buffer.from('{"a":1}')]],
    ['several chunks', [Buffer.from('{"a":'), Buffer.from('1,"b":"é'), Buffer.from('"}')]],
    ['a body exactly at the limit', [Buffer.alloc(16, 'x')]],
    ['an empty body', []],
  ])('gives the exact bytes of %s', async (_case, chunks) => {
    const req = request();
    const body = readBody(asRequest(req), 16, new UnverifiedBodyBudget(1024));
    for (const chunk of chunks) req.write(chunk);
    req.end();
    expect((await body).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const req = request({ 'content-length': '17' });
    await expect(readBody(asRequest(req), 16, new UnverifiedBodyBudget(1024))).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('refuses a streamed body once it passes the limit', async () => {
    const req = request();
    const body = readBody(asRequest(req), 16, new UnverifiedBodyBudget(1024));
    req.write(Buffer.alloc(10));
    req.write(Buffer.alloc(10));
    await expect(body).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('fails when the client goes away mid-body', async () => {
    const req = request();
    const body = readBody(asRequest(req), 16, new UnverifiedBodyBudget(1024));
    req.write(Buffer.alloc(4));
    req.destroy();
    await expect(body).rejects.toThrow('closed the connection');
  });

  it('keeps the bytes of a complete body taken from the budget, for the caller to give back', async () => {
    const budget = new UnverifiedBodyBudget(1024);
    const req = request();
    const body = readBody(asRequest(req), 16, budget);
    req.write(Buffer.alloc(6));
    req.end(Buffer.alloc(4));
    expect((await body).length).toBe(10);
    expect(budget.heldBytes).toBe(10);
  });

  it('fails once the budget has no room for the next chunk, and gives back what it took', async () => {
    const budget = new UnverifiedBodyBudget(12);
    expect(budget.tryTake(4)).toBe(true);
    const req = request();
    const body = readBody(asRequest(req), 16, budget);
    req.write(Buffer.alloc(6));
    req.write(Buffer.alloc(6));
    await expect(body).rejects.toBeInstanceOf(UnverifiedBytesCapReachedError);
    expect(budget.heldBytes).toBe(4);
  });

  it.each<[string, (req: PassThrough) => void]>([
    ['the body passes the limit', (req) => req.write(Buffer.alloc(10))],
    ['the client goes away', (req) => req.destroy()],
    ['the stream fails', (req) => req.destroy(new Error('socket hang up'))],
  ])('gives back every byte it took when %s', async (_case, end) => {
    const budget = new UnverifiedBodyBudget(1024);
    const req = request();
    const body = readBody(asRequest(req), 16, budget);
    req.write(Buffer.alloc(8));
    await new Promise((resolve) => setImmediate(resolve));
    expect(budget.heldBytes).toBe(8);
    end(req);
    await expect(body).rejects.toThrow();
    expect(budget.heldBytes).toBe(0);
  });
});
