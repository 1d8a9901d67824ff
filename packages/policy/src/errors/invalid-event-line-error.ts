/** A line of an events.jsonl history that is not a recorded policy event. */
export class InvalidEventLineError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(
      `line ${line}: ${reason}. Each line must be {"at": "<ISO time or epoch ms>", "event": {"type": "change" | "command" | ` +
        '"timer-fired" | "cycle-finished" | "idle-tick" | "updates-found", …}}; blank lines and lines starting with # are skipped.',
    );
  }
}
