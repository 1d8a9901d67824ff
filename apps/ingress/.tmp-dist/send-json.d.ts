import type { ServerResponse } from 'node:http';
/** A small JSON response, written in one go. */
export declare function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
