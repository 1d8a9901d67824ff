import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError } from './errors/body-too-large-error.js';
import { UnverifiedBytesCapReachedError } from './errors/unverified-bytes-cap-reached-error.js';
import type { UnverifiedBodyBudget } from './unverified-body-budget.js';

/**
 * The request body as received, byte for byte. Fails with BodyTooLargeError as soon as the
 * declared or received size passes `limitBytes`, without buffering the rest.
 *
 * Every byte received is taken from `budget` as it arrives; when the budget has no room left it
 * fails with UnverifiedBytesCapReachedError. On failure the bytes taken are given back; on success
 * they stay taken until the caller gives back `body.length`, once it has checked the signature.
 */
export function readBody(req: IncomingMessage, limitBytes: number, budget: UnverifiedBodyBudget): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      stop();
      budget.giveBack(size);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limitBytes) return fail(new BodyTooLargeError(limitBytes));
      if (!budget.tryTake(chunk.length)) return fail(new UnverifiedBytesCapReachedError(budget.limitBytes));
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => fail(err);
    const onClose = () => fail(new Error('the client closed the connection before the body was complete'));
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
