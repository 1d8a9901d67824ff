/** The worker is shutting down: the stage stopped without a result and its job goes back to the queue. */
export class StageHandedBackError extends Error {
  constructor(stage: string, cycleId: string) {
    super(`${stage} of ${cycleId} was handed back because its worker is shutting down; another worker runs it again from the start`);
    this.name = this.constructor.name;
  }
}
