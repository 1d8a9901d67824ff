import type { AppName } from '@stagecraft/launcher';

export const WEBHOOK_NAMES = ['push', 'pull_request', 'issue_comment', 'check_run', 'status'] as const;
export type WebhookName = (typeof WEBHOOK_NAMES)[number];

/** What GitHub takes for a check run's conclusion, status, and a commit status's state. */
export const CHECK_RUN_CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'] as const;
export type CheckRunConclusion = (typeof CHECK_RUN_CONCLUSIONS)[number];
export const CHECK_RUN_STATUSES = ['queued', 'in_progress', 'completed'] as const;
export type CheckRunStatus = (typeof CHECK_RUN_STATUSES)[number];
export const COMMIT_STATUS_STATES = ['pending', 'success', 'failure', 'error'] as const;
export type CommitStatusState = (typeof COMMIT_STATUS_STATES)[number];

/** One invocation of `stagecraft`, as parsed from argv: what to run and with which options. */
export type CliCommand =
  | {
      name: 'help';
      /** Set when the command line was not a command: printed before the usage, exit code 2. */
      problem: string | null;
    }
  | { name: 'config-check'; configPath: string | null }
  | { name: 'simulate'; eventsPath: string; configPath: string | null; cycleDurationMs: number }
  | {
      name: 'status';
      configPath: string | null;
      url: string | null;
      token: string | null;
      json: boolean;
      cycleId: string | null;
    }
  | {
      name: 'start';
      configPath: string | null;
      /** null = every app. */
      only: AppName[] | null;
      /** Processes per app; apps not named run one. */
      replicas: Partial<Record<AppName, number>>;
    }
  | {
      name: 'send-webhook';
      event: WebhookName;
      /** `owner/name` the webhook is about; null = the first configured repository. */
      repo: string | null;
      configPath: string | null;
      url: string | null;
      secret: string | null;
      pr: number | null;
      sha: string | null;
      author: string | null;
      body: string | null;
      paths: string[] | null;
      action: string | null;
      /** check_run: the check's name; status: its context (what compose.requireChecks lists). */
      checkName: string | null;
      /** check_run: how it ended (it is then completed). */
      conclusion: CheckRunConclusion | null;
      /** check_run: queued, in_progress or completed. */
      checkStatus: CheckRunStatus | null;
      /** status: pending, success, failure or error. */
      state: CommitStatusState | null;
    }
  | { name: 'demo'; configPath: string; exitAfterCycle: boolean }
  | {
      /** releases, promote, approve, reject, rollback, audit: through the dashboard API. */
      name: 'promotion';
      action: PromotionAction;
      configPath: string | null;
      url: string | null;
      token: string | null;
      json: boolean;
      env: string | null;
      release: string | null;
      request: string | null;
      reason: string | null;
    };

export const PROMOTION_ACTIONS = ['releases', 'promote', 'approve', 'reject', 'rollback', 'override', 'audit'] as const;
export type PromotionAction = (typeof PROMOTION_ACTIONS)[number];
