import { describe, it, expect } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readBody } from './read-body.js';
import { BodyTooLargeError } from './errors/body-too-large-error.js';

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
    const body = readBody(asRequest(req), 16);
    for (const chunk of chunks) req.write(chunk);
    req.end();
    expect((await body).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const req = request({ 'content-length': '17' });
    await expect(readBody(asRequest(req), 16)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('refuses a streamed body once it passes the limit', async () => {
    const req = request();
    const body = readBody(asRequest(req), 16);
    req.write(Buffer.alloc(10));
    req.write(Buffer.alloc(10));
    await expect(body).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('fails when the client goes away mid-body', async () => {
    const req = request();
    const body = readBody(asRequest(req), 16);
    req.write(Buffer.alloc(4));
    req.destroy();
    await expect(body).rejects.toThrow('closed the connection');
  });
});
