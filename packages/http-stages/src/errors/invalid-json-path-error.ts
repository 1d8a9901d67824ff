export class InvalidJsonPathError extends Error {
  override name = this.constructor.name;

  constructor(readonly path: string, reason: string) {
    super(`invalid JSON path ${JSON.stringify(path)}: ${reason}; write it like "$.queue.pending" or "$.items[0].status"`);
  }
}
