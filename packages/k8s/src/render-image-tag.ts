import type { StageContext } from '@stagecraft/executors';

/** The image tag for a cycle from an `imageTag` template ({sha}, {shortSha}, {cycleId}, {env}); needs the cycle's SHA. */
export function renderImageTag(template: string, ctx: Pick<StageContext, 'sha' | 'cycleId' | 'env'> & { sha: string }): string {
  const values: Record<string, string> = { sha: ctx.sha, shortSha: ctx.sha.slice(0, 12), cycleId: ctx.cycleId, env: ctx.env };
  return template.replace(/\{([^}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}
