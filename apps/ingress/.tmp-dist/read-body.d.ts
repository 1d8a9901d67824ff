import type { IncomingMessage } from 'node:http';
/**
 * The request body as received, byte for byte. Fails with BodyTooLargeError as soon as the
 * declared or received size passes `limitBytes`, without buffering the rest.
 */
export declare function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer>;
