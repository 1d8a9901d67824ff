/** The abort reason a stage worker gives its running jobs when it must stop before they finish. */
export const HAND_BACK = 'stagecraft:worker-shutdown';

export function isHandBack(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason === HAND_BACK;
}
