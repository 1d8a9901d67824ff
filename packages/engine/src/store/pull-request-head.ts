export interface PullRequestHead {
  number: number;
  sha: string;
  author: string;
  baseRef: string;
  draft: boolean;
  labels: string[];
  updatedAt: string | null;
}

/** main's head and the ready PRs' heads: what a cycle composes, and what the idle check compares. */
export interface HeadsSnapshot {
  main: string | null;
  prs: Array<{ number: number; sha: string }>;
}
