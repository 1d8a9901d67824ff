import { pullRequestKey } from '@stagecraft/policy';

/**
 * Every Redis key Stagecraft itself owns (BullMQ's own keys share the same prefix; their retention
 * is the queue catalog's removeOnComplete / removeOnFail / keepLogs). Each key says how long it
 * lives: a TTL, a trimmed length, removal when its pull request closes, or one per configured
 * environment. A key added here needs one too (redis-retention.int.test.ts fails without it), and
 * a line in docs/redis-keys.md.
 */
export function stagecraftKeys(prefix: string) {
  const p = `${prefix}:sc`;
  return {
    /** hash: an environment's policy state, version and outbox. Retention: one per configured environment. */
    envState: (env: string) => `${p}:env:${env}:state`,
    /** An event already applied to an environment (redelivery guard). Retention: TTL, 24 h. */
    appliedEvent: (env: string, eventId: string) => `${p}:env:${env}:applied:${eventId}`,
    /** hash: a cycle's header, one field per property. Retention: trimmed with the cycle index (newest 500 per environment). */
    cycle: (cycleId: string) => `${p}:cycle:${cycleId}`,
    /** hash: a cycle's stage results and running stage. Retention: trimmed with the cycle index. */
    cycleStages: (cycleId: string) => `${p}:cycle:${cycleId}:stages`,
    /** A cancelled cycle's reason. Retention: TTL, 7 days (and trimmed with the cycle index). */
    cycleCancelled: (cycleId: string) => `${p}:cycle:${cycleId}:cancelled`,
    /** sorted set: an environment's cycles by start. Retention: trimmed to the newest 500. */
    cycleIndex: (env: string) => `${p}:cycles:${env}`,
    /** sorted set: every environment's cycles. Retention: trimmed with the per-environment indexes. */
    cycleIndexAll: () => `${p}:cycles`,
    /**
     * hash: `main:<owner/name>` → sha per repository, `pr:<owner/name>#<n>` → JSON of the PR's last
     * known head; `order:main:…`, `order:pr:…` → what ordered the update that wrote it (a closed PR
     * keeps its order field for a while). Repository names in lower case.
     * Retention: a PR's `pr:` field is removed when it closes; its order field with the close (see headsClosed).
     */
    heads: () => `${p}:heads`,
    /** sorted set: PRs (`owner/name#<n>`) whose close is remembered in `heads`, scored by when it was received. Retention: trimmed to 30 days on every close. */
    headsClosed: () => `${p}:heads:closed`,
    /** JSON: main and each PR's head that the env's last successful deploy put there (idle check compares). Retention: one per configured environment. */
    deployedHeads: (env: string) => `${p}:env:${env}:deployed-heads`,
    /** hash: PR (`owner/name#<n>`) → the head a maintainer approved. Retention: a PR's field is removed when it closes. */
    approvals: () => `${p}:approvals`,
    /** hash: PR (`owner/name#<n>`) → who asked to leave it out of staging (`@bot skip`). Retention: removed on a maintainer's deploy, or when the PR closes. */
    skips: () => `${p}:skips`,
    /** hash: PR (`owner/name#<n>`) → the head a bisection found broke a cycle, and why (JSON). Retention: removed on a maintainer's deploy, or when the PR closes. */
    exclusions: () => `${p}:exclusions`,
    /**
     * hash: the checks reported on one commit of a repository: `run:<name>` / `status:<context>` →
     * its state and when it got there (JSON), `event:<id>` → what the checks were before that event
     * (so a re-run event sees the change it made). Retention: TTL, 30 days from the last write,
     * renewed whenever a cycle's start or the idle check reads it for an open PR's head.
     */
    headChecks: (repo: string, sha: string) => `${p}:checks:${repo.toLowerCase()}@${sha}`,
    /** Pub/Sub channel of cycle cancels; holds nothing. */
    cancelChannel: () => `${p}:cancel`,
    /** A stage's lock per environment (holder token). Retention: TTL, workers.lockDuration, renewed while held. */
    stageLock: (stage: string, env: string) => `${p}:lock:${stage}:${env}`,
    /** hash: what the notifier published for a cycle (check run / deployment ids, last states). Retention: TTL, 30 days from the last write. */
    published: (cycleId: string) => `${p}:notify:cycle:${cycleId}`,
    /**
     * hash: `id` → id of the PR's one Stagecraft comment, `sig` → hash of its body, `cycleAt` / `waitingAt` → when
     * the cycle report or waiting notice it shows was true, `waitingRun` → the check run a waiting notice put on
     * its head (JSON). Retention: TTL, 30 days from the last write; removed when the PR closes.
     */
    prComment: (repo: string, pr: number) => `${p}:notify:comment:${pullRequestKey(repo, pr)}`,
    /** set: head SHAs of a PR already told they conflict. Retention: TTL, 30 days from the last write; removed when the PR closes. */
    conflictsTold: (repo: string, pr: number) => `${p}:notify:conflicts:${pullRequestKey(repo, pr)}`,
    /**
     * JSON: the head of a PR the notifier labelled `stagecraft: excluded`, the failed cycle and when the
     * bisection excluded it, so the label comes off once a later cycle takes the PR in again.
     * Retention: TTL, 90 days from labelling; removed when the label comes off, or when the PR closes.
     */
    excludedLabel: (repo: string, pr: number) => `${p}:notify:excluded:${pullRequestKey(repo, pr)}`,
    /** hash: `owner/name` (lower case) → how many webhooks ingress ignored from that unconfigured repository. Retention: one field per repository that sent any; `stagecraft status` shows them. */
    ignoredRepositories: () => `${p}:ingress:ignored-repositories`,
    /** The notifier's lock on publishing one cycle, or (`waiting.<owner/name>#<n>`) on telling one PR what it waits for. Retention: TTL, 60 s, renewed while held. */
    notifyLock: (cycleId: string) => `${p}:lock:notify:${cycleId}`,
    /** A login's role as GitHub answered it (teams, permission). Retention: TTL, trust.roleCacheTtl. */
    role: (login: string) => `${p}:role:${login}`,
    /** A dashboard login (JSON). Retention: TTL, apps.dashboard.sessionTtl. */
    session: (id: string) => `${p}:session:${id}`,
    /** list: what people did through the dashboard, newest first. Retention: trimmed to the newest 200 (AuditLog). */
    audit: () => `${p}:audit`,
    /** Failed dashboard logins and bearer checks of one client address (a count). Retention: TTL, apps.dashboard.authFailureWindow. */
    authFailures: (address: string) => `${p}:auth-failures:${address}`,
    /** A release (JSON): what a cycle deployed, kept to promote or roll back to. */
    release: (id: string) => `${p}:release:${id}`,
    /** zset: an environment's releases by time. */
    releaseIndex: (env: string) => `${p}:releases:${env}`,
    /** A promotion request (JSON field `request`, and `version` for compare-and-set). */
    promotion: (id: string) => `${p}:promotion:${id}`,
    /** zset: an environment's promotion requests by time asked. */
    promotionIndex: (env: string) => `${p}:promotions:${env}`,
    /** The request whose cycle holds an environment now (one production cycle at a time). */
    promotionActive: (env: string) => `${p}:promotions:${env}:active`,
    /** counter: promotion request ids. */
    promotionSeq: () => `${p}:promotions:seq`,
    /** stream: every promotion step (asked, approved, refused, expired, deployed, failed, rolled back). */
    releaseAudit: () => `${p}:release-audit`,
    /** The scheduler's answer to a promotion command from the dashboard or CLI (JSON, expires). */
    commandAnswer: (eventId: string) => `${p}:command-answer:${eventId}`,
  };
}
export type StagecraftKeys = ReturnType<typeof stagecraftKeys>;
