/** The dashboard's JSON, as `stagecraft status` reads it (GET /api/environments, /api/cycles). */
import type { CycleRecord, DeployedRuns, ExcludedPr, RepositoryRun } from '@stagecraft/engine';
import type { Explanation } from '@stagecraft/policy';
import type { StageResult } from '@stagecraft/queue';

// Cycles and excluded PRs are the engine's own records, and an environment is what explain() says of it.
export type { CycleRecord, DeployedRuns, RepositoryRun };
export type StageRecord = StageResult;
export type StageStatus = StageResult['status'];

export interface EnvironmentStatus {
  name: string;
  explanation: Explanation;
  /** Null when nothing is deployed yet; absent from a dashboard older than this CLI. */
  deployed?: DeployedRuns | null;
}

/** Webhooks ingress ignored from one repository that is not configured. */
export interface IgnoredRepository {
  repository: string;
  webhooks: number;
}


/** GET /api/environments. */
export interface EnvironmentsReply {
  environments: EnvironmentStatus[];
  /** The configured repositories (`owner/name`), in config order. */
  repositories: string[];
  ignoredRepositories: IgnoredRepository[];
  /** Absent from a dashboard older than this CLI. */
  exclusions: ExcludedPr[];
}

/** Everything `stagecraft status` shows: each environment and its recent cycles, newest first. */
export interface StatusSnapshot {
  environments: EnvironmentStatus[];
  cycles: Record<string, CycleRecord[]>;
  /** The configured repositories; several get a line each per environment. */
  repositories: string[];
  ignoredRepositories: IgnoredRepository[];
  /** PRs a bisection keeps out of staging (absent from snapshots of older dashboards). */
  exclusions?: ExcludedPr[];
}
