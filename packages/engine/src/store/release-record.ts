import type { StageResult } from '@stagecraft/queue';
import type { CycleKind } from '@stagecraft/policy';
import type { CycleState, RepoHeads } from './cycle-record.js';

/** What one cycle's successful deploy put in an environment: kept to promote or roll back to. */
export interface ReleaseRecord {
  /** The id of the cycle that deployed it. */
  id: string;
  env: string;
  cycleKind: CycleKind;
  /** How the whole cycle ended (a release whose tests failed is kept, but did not pass). */
  outcome: Exclude<CycleState, 'running'>;
  /** The first repository's main and staging SHA; `repos` has each repository's. */
  mainSha: string | null;
  stagingSha: string | null;
  repos: RepoHeads[];
  prs: Array<{ repo: string; number: number; sha: string; author: string | null }>;
  /** component → image references deployed (tag, and digest where the build or deploy reported one). */
  images: Record<string, string[]>;
  components: string[];
  /** The test kernel's result, when it ran. */
  tests: Pick<StageResult, 'status' | 'summary' | 'details'> | null;
  createdAt: number;
  /** A promotion or rollback: the release it deployed (its images are that release's). */
  sourceRelease: string | null;
}
