/** A held lock could not be kept: another holder may have it now, so whatever it guarded must stop. */
export class LeaseLostError extends Error {
  override name = this.constructor.name;

  constructor(key: string, why: string) {
    super(
      `lost the lock ${key}: ${why}. What it guarded was stopped so it cannot run twice. ` +
        "If this repeats, check this worker's connection to Redis, and that workers.lockDuration is longer than the pauses Redis or this process have.",
    );
  }
}
