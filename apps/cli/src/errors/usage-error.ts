/** The command line itself is wrong (unknown command, bad option): exit code 2, usage hint. */
export class UsageError extends Error {
  override name = this.constructor.name;
  readonly exitCode = 2;

  constructor(problem: string) {
    super(`${problem}\nRun \`stagecraft help\` to see the commands and their options.`);
  }
}
