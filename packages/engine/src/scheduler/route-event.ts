import { checksReason, componentsForPaths, isPolicyCommand, whyNotReady, type ChecksVerdict, type ComponentSet, type PolicyEvent, type Role } from '@stagecraft/policy';
import type { NormalizedEvent } from '@stagecraft/queue';
import type { PullRequestHead } from '../store/pull-request-head.js';
import type { RepositoryRules } from '../store/heads-store.js';
import { updatedAtMs, type HeadOrder, type HeadsUpdate } from '../store/heads-update.js';
import { roleOf, type TrustLists } from './trust-lists.js';

export interface ComponentRule {
  name: string;
  /** The repository (`owner/name` as configured) whose paths these are. */
  repository: string;
  paths: string[];
  configPaths: string[];
}

export type { HeadsUpdate } from '../store/heads-update.js';

export interface RoutedEvent {
  headsUpdate: HeadsUpdate | null;
  /** Applied to every environment that follows changes; null when the event changes nothing. */
  policy: PolicyEvent | null;
  /** Why nothing is scheduled, for the log. */
  note: string | null;
}

export interface RouteContext {
  /** The event's repository as configured: its main branch and compose rules. */
  repository: RepositoryRules;
  trust: TrustLists;
  /** The event's repository's components: a change elsewhere does not touch them. */
  components: ComponentRule[];
  /**
   * Several repositories are configured: "every component" of a change means its repository's
   * (a change in one repository never rebuilds another's components). With one, it stays 'all'.
   */
  scopeToRepository: boolean;
  /** What was known about the event's PR before this event. */
  knownPr: PullRequestHead | null;
  approvedSha: string | null;
  /** The files the event's PR touches, when they were looked up; null = unknown. */
  prPaths?: string[] | null;
  /** main's changed files from the compare API, when looked up; undefined = the push payload's list. */
  mainPaths?: string[] | null;
  /** Roles looked up beforehand (GitHub teams, permissions), by lowercase login; others come from the lists. */
  roles?: ReadonlyMap<string, Role>;
  /** The required checks of the event's head; absent when its repository requires none. */
  checks?: HeadChecks;
}

/** How one head's required checks stand, for the event that brings the head or reports on it. */
export interface HeadChecks {
  sha: string;
  now: ChecksVerdict;
  /** A checks event: how they stood before it. */
  before?: ChecksVerdict;
  /** A checks event that turned them green or red: whether this head is on staging (deployed, or in the running cycle). */
  inStaging?: boolean;
}

function roleIn(ctx: RouteContext, login: string): Role {
  return ctx.roles?.get(login.toLowerCase()) ?? roleOf(login, ctx.trust);
}

/**
 * Why a PR is out of staging as far as one event can tell (whyNotReady): trust is judged by the
 * caller, and age and skips are not known here, so they count as fine; the required checks count
 * for the head they were read for (unless `withChecks` is false).
 */
function outOfStaging(pr: PullRequestHead, ctx: RouteContext, withChecks = true): string | null {
  return whyNotReady(pr, {
    mainBranch: ctx.repository.mainBranch,
    skipLabel: ctx.repository.skipLabel,
    maxAgeMs: Number.POSITIVE_INFINITY,
    now: 0,
    trustedAuthor: () => true,
    approvedSha: () => undefined,
    skippedByCommand: () => false,
    checks: (head) => (withChecks && ctx.checks?.sha === head.sha ? ctx.checks.now : undefined),
  });
}

/** pull_request actions that put a new head in front of staging. */
export const PR_UPDATES: ReadonlySet<string> = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review']);

/** Turns a webhook event into what it means for the heads we track and for the policy. */
export function routeEvent(ev: NormalizedEvent, ctx: RouteContext): RoutedEvent {
  const repo = ctx.repository.name;
  const repoComponents: ComponentSet = ctx.scopeToRepository ? ctx.components.map((c) => c.name) : 'all';
  const forPaths = (paths: string[] | null) => {
    const touched = componentsForPaths(paths, ctx.components);
    return { components: touched.components === 'all' ? repoComponents : touched.components, rebuild: touched.rebuild === 'all' ? repoComponents : touched.rebuild };
  };
  switch (ev.kind) {
    case 'push': {
      if (ev.ref !== `refs/heads/${ctx.repository.mainBranch}`) {
        return { headsUpdate: null, policy: null, note: `push to ${ev.ref} is not ${ctx.repository.mainBranch}` };
      }
      if (/^0+$/.test(ev.sha)) return { headsUpdate: null, policy: null, note: `${ctx.repository.mainBranch} was deleted` };
      const { components, rebuild } = forPaths(ctx.mainPaths !== undefined ? ctx.mainPaths : ev.paths);
      return {
        headsUpdate: { kind: 'main', repo, sha: ev.sha, order: pushOrder(ev) },
        // Pushing to main needs write access: the pusher is trusted by construction.
        policy: { type: 'change', source: 'push', sha: ev.sha, repo, pr: null, trusted: true, components, rebuild },
        note: null,
      };
    }
    case 'pull_request': {
      // What the head touches: looked up for a new head, else what was known of this same head.
      const touched = PR_UPDATES.has(ev.action) && ctx.prPaths !== undefined ? forPaths(ctx.prPaths ?? null) : null;
      const touches = touched ? touched.components : ctx.knownPr?.sha === ev.sha ? ctx.knownPr.touches : undefined;
      const head: PullRequestHead = {
        repo,
        number: ev.pr,
        sha: ev.sha,
        author: ev.author,
        baseRef: ev.baseRef,
        draft: ev.draft,
        labels: ev.labels,
        updatedAt: ev.updatedAt,
        ...(touches !== undefined ? { touches } : {}),
      };
      const order = prOrder(ev);
      const upsert: HeadsUpdate = { kind: 'pr-upsert', head, order };
      // Whether it may be on staging: its checks do not count, so a head whose check went pending again (a re-run) still leaves.
      const wasReady = ctx.knownPr !== null && outOfStaging(ctx.knownPr, ctx, false) === null;
      // Leaving staging is always safe, so removals count as trusted changes; they touch the PR's
      // repository's components (which files it changed is not looked up for a removal).
      const removal: PolicyEvent = {
        type: 'change',
        source: 'pull_request',
        sha: ev.sha,
        repo,
        pr: ev.pr,
        trusted: true,
        components: repoComponents,
        rebuild: repoComponents,
      };
      if (ev.action === 'closed') {
        return {
          headsUpdate: { kind: 'pr-remove', repo, pr: ev.pr, order },
          policy: wasReady && !ev.merged ? removal : null,
          note: ev.merged ? `PR #${ev.pr} merged: the push to ${ctx.repository.mainBranch} brings it in` : wasReady ? null : `PR #${ev.pr} was not in staging`,
        };
      }
      if (ev.action === 'converted_to_draft') {
        return { headsUpdate: upsert, policy: wasReady ? removal : null, note: wasReady ? null : `PR #${ev.pr} is a draft` };
      }
      const skipLabelChanged = (ev.action === 'labeled' || ev.action === 'unlabeled') && ev.label === ctx.repository.skipLabel;
      if (skipLabelChanged && outOfStaging({ ...head, labels: head.labels.filter((l) => l !== ctx.repository.skipLabel) }, ctx, false) === null) {
        if (ev.action === 'labeled') {
          return { headsUpdate: upsert, policy: removal, note: `PR #${ev.pr} is labelled ${ctx.repository.skipLabel}: it leaves staging` };
        }
        const waiting = outOfStaging(head, ctx);
        if (waiting !== null) return { headsUpdate: upsert, policy: null, note: `PR #${ev.pr} stays out of staging: ${waiting}` };
        // Without the label the PR is ready again, if its author or head is trusted.
        const trusted = roleIn(ctx, ev.author) !== 'untrusted' || ctx.approvedSha === ev.sha;
        return {
          headsUpdate: upsert,
          policy: { type: 'change', source: 'pull_request', sha: ev.sha, repo, pr: ev.pr, trusted, components: repoComponents, rebuild: repoComponents },
          note: null,
        };
      }
      if (!PR_UPDATES.has(ev.action)) {
        return { headsUpdate: upsert, policy: null, note: `pull_request.${ev.action} does not change staging` };
      }
      const out = outOfStaging(head, ctx, false);
      if (out !== null) return { headsUpdate: upsert, policy: null, note: `PR #${ev.pr} stays out of staging: ${out}` };
      const trusted = roleIn(ctx, ev.author) !== 'untrusted' || ctx.approvedSha === ev.sha;
      if (!trusted && ctx.approvedSha !== null) {
        // A maintainer approved an earlier head, which may be on staging now: the new push is not
        // approved, so the PR leaves staging until a maintainer's next deploy.
        return { headsUpdate: upsert, policy: removal, note: `PR #${ev.pr} has an unapproved new head: it leaves staging` };
      }
      // A head waiting for its checks joins when they turn green (a checks event); the PR's older head stays meanwhile.
      const waiting = outOfStaging(head, ctx);
      if (waiting !== null) return { headsUpdate: upsert, policy: null, note: `PR #${ev.pr} stays out of staging: ${waiting}` };
      const { components, rebuild } = touched ?? forPaths(ctx.prPaths ?? null);
      return {
        headsUpdate: upsert,
        policy: { type: 'change', source: 'pull_request', sha: ev.sha, repo, pr: ev.pr, trusted, components, rebuild },
        note: null,
      };
    }
    case 'command': {
      const command = ev.command;
      if (!isPolicyCommand(command)) return { headsUpdate: null, policy: null, note: `command "${command}" changes no environment` };
      const pr = ctx.knownPr;
      return {
        headsUpdate: null,
        policy: {
          type: 'command',
          command,
          by: ev.by,
          role: roleIn(ctx, ev.by),
          repo,
          pr: ev.pr,
          sha: pr?.sha ?? ev.sha,
          // A PR we have not seen yet has an author we cannot vouch for: a deploy approves its head.
          prAuthorTrusted: pr !== null ? roleIn(ctx, pr.author) !== 'untrusted' : ev.pr === null,
          isAuthor: pr !== null && pr.author.toLowerCase() === ev.by.toLowerCase(),
        },
        note: null,
      };
    }
    case 'checks': {
      const policy = checksChange(ev, ctx, repoComponents);
      return { headsUpdate: null, policy, note: policy ? null : checksNote(ev, ctx) };
    }
  }
}

/**
 * A checks event changes staging only when it turns a head green that is not on staging (it joins,
 * like a PR update), or turns one red that is (it leaves). A head going pending (a re-run) waits
 * where it is; a head on no open PR is only remembered for when one has it.
 */
function checksChange(ev: Extract<NormalizedEvent, { kind: 'checks' }>, ctx: RouteContext, repoComponents: ComponentSet): PolicyEvent | null {
  const pr = ctx.knownPr;
  const checks = ctx.checks;
  if (!pr || !checks || pr.sha !== ev.sha || outOfStaging(pr, ctx, false) !== null) return null;
  const was = checks.before?.state ?? 'pending';
  const base = { type: 'change' as const, source: 'pull_request' as const, sha: ev.sha, repo: ctx.repository.name, pr: pr.number };
  if (checks.now.state === 'green' && was !== 'green' && !checks.inStaging) {
    // What the head touches was looked up when it came; unknown, it touches its repository's components.
    const touches = pr.touches === undefined || pr.touches === 'all' ? repoComponents : pr.touches;
    const trusted = roleIn(ctx, pr.author) !== 'untrusted' || ctx.approvedSha === ev.sha;
    return { ...base, trusted, components: touches, rebuild: touches };
  }
  if (checks.now.state === 'failed' && was !== 'failed' && checks.inStaging) {
    // Leaving staging is always safe: a trusted change of its repository's components.
    return { ...base, trusted: true, components: repoComponents, rebuild: repoComponents };
  }
  return null;
}

/** Why a checks event changes nothing for staging, for the log. */
function checksNote(ev: Extract<NormalizedEvent, { kind: 'checks' }>, ctx: RouteContext): string {
  const pr = ctx.knownPr;
  if (!pr || pr.sha !== ev.sha) return `no open PR of ${ctx.repository.name} has head ${ev.sha.slice(0, 7)}: its checks are kept for when one does`;
  if (!ctx.checks) return `${ctx.repository.name} requires no checks`;
  const out = outOfStaging(pr, ctx, false);
  if (out !== null) return `PR #${pr.number} stays out of staging: ${out}`;
  if (ctx.checks.now.state === 'green') return ctx.checks.inStaging ? `PR #${pr.number}: checks green, and this head is on staging already` : `PR #${pr.number}: checks were green already`;
  const reason = checksReason(ctx.checks.now);
  return ctx.checks.inStaging ? `PR #${pr.number} stays on staging at this head for now: ${reason}` : `PR #${pr.number} stays out of staging: ${reason}`;
}

/** A push is ordered by its chain (before → sha), then pushed_at, then arrival. */
function pushOrder(ev: Extract<NormalizedEvent, { kind: 'push' }>): HeadOrder {
  return { sha: ev.sha, before: ev.before, ...(ev.pushedAt !== null ? { at: ev.pushedAt } : {}), receivedAt: ev.receivedAt };
}

/** A PR event is ordered by the PR's updated_at, then arrival. */
function prOrder(ev: Extract<NormalizedEvent, { kind: 'pull_request' }>): HeadOrder {
  const at = updatedAtMs(ev.updatedAt);
  return { ...(at !== undefined ? { at } : {}), receivedAt: ev.receivedAt };
}
