/** runLocalCommand was given options it cannot run with; the stage's configuration needs fixing. */
export class InvalidCommandOptionsError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly option: 'command' | 'timeoutMs' | 'killGraceMs' | 'outputTailLines',
    readonly value: unknown,
  ) {
    super(
      `local command option ${option} is invalid (${JSON.stringify(value) ?? String(value)}): ` +
        (option === 'command'
          ? 'set a non-empty command for the stage in stagecraft.yaml'
          : `${option} must be a finite number ${option === 'timeoutMs' ? 'above 0' : 'of 0 or more'}; check the stage's timeout settings`),
    );
  }
}
