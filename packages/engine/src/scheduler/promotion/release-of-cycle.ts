import type { StageResult } from '@stagecraft/queue';
import type { CycleRecord } from '../../store/cycle-record.js';
import type { HeadsStore } from '../../store/heads-store.js';
import type { ReleaseRecord } from '../../store/release-record.js';
import type { ReleaseStore } from '../../store/release-store.js';

type ImageMap = Record<string, string[]>;

/**
 * The release a finished cycle leaves, or null when its deploy did not succeed. Its images are,
 * per component, what the deploy stage reported running (the kubernetes executor reports them; a
 * local command may write `{"images": {"api": ["reg/api:tag@sha256:…"]}}` to $STAGECRAFT_RESULTS),
 * else what the build stage reported building, else what the previous release had.
 */
export async function releaseOfCycle(record: CycleRecord, r: { heads: Pick<HeadsStore, 'getPr'>; releases: Pick<ReleaseStore, 'list'> }): Promise<ReleaseRecord | null> {
  if (record.state === 'running') return null;
  const deploy = record.stages.find((s) => s.stage === 'deploy');
  if (deploy?.status !== 'succeeded') return null;
  const images = record.release ? record.release.images : await imagesOf(record, r.releases);
  const tests = record.stages.find((s) => s.stage === 'test-kernel');
  const prs = await Promise.all(record.prs.map(async (p) => ({ ...p, author: (await r.heads.getPr(p.repo, p.number))?.author ?? null })));
  return {
    id: record.id,
    env: record.env,
    cycleKind: record.kind,
    outcome: record.state,
    mainSha: record.mainSha,
    stagingSha: record.stagingSha,
    repos: record.repos,
    prs,
    images,
    components: record.components,
    tests: tests ? { status: tests.status, summary: tests.summary, details: tests.details } : null,
    createdAt: record.finishedAt ?? record.startedAt,
    sourceRelease: record.release?.id ?? null,
  };
}

async function imagesOf(record: CycleRecord, releases: Pick<ReleaseStore, 'list'>): Promise<ImageMap> {
  const previous = (await releases.list(record.env, 1))[0]?.images ?? {};
  return { ...previous, ...reportedByBuild(record.stages.find((s) => s.stage === 'build')), ...reportedImages(record.stages.find((s) => s.stage === 'deploy')) };
}

/** The kubernetes build executor lists its Jobs with the images each pushed. */
function reportedByBuild(result: StageResult | undefined): ImageMap {
  if (result?.status !== 'succeeded') return {};
  const jobs = result.details?.['jobs'];
  const fromJobs: ImageMap = {};
  if (Array.isArray(jobs)) {
    for (const job of jobs) {
      if (typeof job?.component === 'string' && isRefList(job.images) && job.images.length > 0) fromJobs[job.component] = job.images;
    }
  }
  return { ...fromJobs, ...reportedImages(result) };
}

/** `details.images` (kubernetes deploy) or `details.results.images` (a local command's results file). */
function reportedImages(result: StageResult | undefined): ImageMap {
  if (result?.status !== 'succeeded' || !result.details) return {};
  const results = result.details['results'] as Record<string, unknown> | undefined;
  const images = (result.details['images'] ?? results?.['images']) as unknown;
  if (!images || typeof images !== 'object') return {};
  const map: ImageMap = {};
  for (const [component, refs] of Object.entries(images as Record<string, unknown>)) {
    if (typeof refs === 'string') map[component] = [refs];
    else if (isRefList(refs)) map[component] = refs;
  }
  return map;
}

function isRefList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
