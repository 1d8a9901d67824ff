import type { StageContext } from '@stagecraft/executors';

/** What {{placeholders}} in URLs and bodies stand for; `components` is a list (a body may take it whole). */
export interface TemplateValues {
  sha: string;
  shortSha: string;
  mainSha: string;
  cycleId: string;
  env: string;
  kind: string;
  attempt: string;
  components: string[];
  /** Only in a test-kernel poll URL: the id the submission answered with. */
  id?: string;
}

export function templateValues(ctx: StageContext): TemplateValues {
  const sha = ctx.sha ?? '';
  return {
    sha,
    shortSha: sha.slice(0, 7),
    mainSha: ctx.mainSha ?? '',
    cycleId: ctx.cycleId,
    env: ctx.env,
    kind: ctx.kind,
    attempt: String(ctx.attempt),
    components: [...ctx.components],
  };
}
