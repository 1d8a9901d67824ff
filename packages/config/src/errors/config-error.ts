/**
 * Everything wrong with the configuration at once, one problem a line, each naming where it came
 * from (`stagecraft.yaml: policy.settle: …` or `STAGECRAFT_POLICY__SETTLE: …`), so an operator can
 * fix them all in one pass.
 */
export class ConfigError extends Error {
  override name = this.constructor.name;
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = [...problems];
  }
}
