/** What a stage command is told about the cycle it runs in. */
export interface StageContext {
  cycleId: string;
  env: string;
  stage: string;
  kind: 'full' | 'partial';
  /** The staging SHA (compose's result), or main's before compose ran. */
  sha: string | null;
  mainSha: string | null;
  components: string[];
  rebuild: string[];
  /** The PRs in the cycle, each in its repository (`owner/name`). */
  prs: Array<{ repo: string; number: number; sha: string }>;
  /**
   * Every configured repository with its staging SHA (compose's result, or main's before compose ran)
   * and main SHA, in config order; `sha` and `mainSha` above are the first one's.
   */
  repos: Array<{ repo: string; sha: string | null; mainSha: string | null }>;
  attempt: number;
  /** When the cycle started (ms): orders cycles even across a reset of their numbering. */
  cycleStartedAt?: number;
  /** The directory the stage works in (e.g. a checkout), when the stage has one. */
  workdir?: string;
  /** A promotion cycle: the release it deploys and its images (component → references), deployed as they are. */
  release?: { id: string; images: Record<string, string[]> };
  /**
   * A bisection step: the failed cycle it looks into (`origin`) and where it is in the search. Its
   * `prs` are the subset to compose on `repos[].mainSha` (main as the failed cycle had it), not
   * whatever is ready now.
   */
  bisect?: { origin: string; step: number; maxSteps: number };
}
