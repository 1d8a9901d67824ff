import type { StageContext } from './stage-context.js';

/** The cycle's context as environment variables for a stage command. */
export function stageEnv(ctx: StageContext): Record<string, string> {
  return {
    STAGECRAFT_CYCLE: ctx.cycleId,
    STAGECRAFT_ENV: ctx.env,
    STAGECRAFT_STAGE: ctx.stage,
    STAGECRAFT_KIND: ctx.kind,
    STAGECRAFT_SHA: ctx.sha ?? '',
    STAGECRAFT_MAIN_SHA: ctx.mainSha ?? '',
    STAGECRAFT_COMPONENTS: ctx.components.join(','),
    STAGECRAFT_REBUILD: ctx.rebuild.join(','),
    // One repository: "12:sha,15:sha" as always; several: "owner/name#12:sha", so each PR names its repository.
    STAGECRAFT_PRS: ctx.prs.map((p) => `${ctx.repos.length > 1 ? p.repo : ''}#${p.number}:${p.sha}`.replace(/^#/, '')).join(','),
    STAGECRAFT_REPOS: ctx.repos.map((r) => `${r.repo}@${r.sha ?? r.mainSha ?? ''}`).join(','),
    STAGECRAFT_ATTEMPT: String(ctx.attempt),
    // A bisection step, "staging-12:2/3": compose exactly STAGECRAFT_PRS on STAGECRAFT_REPOS' mains.
    ...(ctx.bisect ? { STAGECRAFT_BISECT: `${ctx.bisect.origin}:${ctx.bisect.step}/${ctx.bisect.maxSteps}` } : {}),
    ...(ctx.workdir !== undefined ? { STAGECRAFT_WORKDIR: ctx.workdir } : {}),
    // A promotion: the release and the images staging ran, "component=ref ref,component=ref".
    ...(ctx.release
      ? {
          STAGECRAFT_RELEASE: ctx.release.id,
          STAGECRAFT_IMAGES: Object.entries(ctx.release.images)
            .map(([component, refs]) => `${component}=${refs.join(' ')}`)
            .join(','),
        }
      : {}),
  };
}
