/**
 * A stage command wrote a results file ($STAGECRAFT_RESULTS) that is not JSON, or whose fields do
 * not have the types Stagecraft reads for that stage (compose's staging SHA and PRs, test-kernel's
 * counts). The stage fails with this message rather than record results that would be misread.
 */
export class InvalidStageResultsError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly stage: string,
    readonly problems: string[],
  ) {
    super(
      `${stage}'s results file ($STAGECRAFT_RESULTS) does not match what Stagecraft reads: ${problems.join('; ')}. ` +
        `Make the command write the fields the README lists under "A stage command" (e.g. compose: {"sha": "<staging sha>", "prs": [{"number": 12, "sha": "<head>"}]}; ` +
        'test-kernel: {"passed": 10, "failed": 0, "skipped": 1}), or no file at all',
    );
  }
}
