/**
 * The bytes of webhook bodies received but not yet verified, summed over every connection and held
 * under a cap: however many slow or hostile clients send bodies that never verify, the ingress
 * holds at most `limitBytes` of them. In memory, per process: the hot path makes no extra calls.
 */
export class UnverifiedBodyBudget {
  #held = 0;

  constructor(readonly limitBytes: number) {}

  get heldBytes(): number {
    return this.#held;
  }

  /** Takes `bytes` from the budget, or takes nothing and answers false when that would pass the cap. */
  tryTake(bytes: number): boolean {
    if (this.#held + bytes > this.limitBytes) return false;
    this.#held += bytes;
    return true;
  }

  giveBack(bytes: number): void {
    this.#held -= bytes;
  }
}
