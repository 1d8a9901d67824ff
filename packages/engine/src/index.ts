// store/: the records every part shares (environment state, cycles, heads).
export * from './store/env-state-store.js';
export * from './store/cycle-record.js';
export * from './store/cycle-store.js';
export * from './store/cycle-stages.js';
export * from './store/heads-store.js';
export * from './store/pull-request-head.js';
export * from './store/heads-update.js';
export * from './store/outbox-action.js';
export * from './store/environment-status.js';
export * from './store/deployed-runs.js';
export * from './store/excluded-pr.js';
export * from './store/release-record.js';
export * from './store/release-store.js';
export * from './store/promotion-store.js';
export * from './store/release-audit-log.js';
export * from './store/head-checks-store.js';
// scheduler/: intake, decide-and-commit, actions.
export * from './scheduler/cycle-flow.js';
export * from './scheduler/trust-lists.js';
export * from './scheduler/route-event.js';
export * from './scheduler/scheduler-engine.js';
export * from './scheduler/errors/state-contention-error.js';
export * from './scheduler/changed-paths.js';
export * from './scheduler/command-reply.js';
export * from './scheduler/role-resolver.js';
export * from './scheduler/pull-request-lookup.js';
export * from './scheduler/scheduler-metrics.js';
export * from './scheduler/queue-depth-gauge.js';
export * from './scheduler/remote-heads.js';
export * from './scheduler/check-lookup.js';
export * from './scheduler/required-check-names.js';
export * from './scheduler/head-checks-verdict.js';
export * from './scheduler/promotion/promotion-service.js';
export * from './scheduler/promotion/promotion-command.js';
export * from './scheduler/promotion/release-of-cycle.js';
export * from './scheduler/promotion/static-promotion-roles.js';
// stage/: lease, runner, worker.
export * from './stage/stage-lease.js';
export * from './stage/errors/lease-lost-error.js';
export * from './stage/run-stage.js';
export * from './stage/stage-worker.js';
export * from './stage/stage-metrics.js';
export * from './stage/stage-app.js';
// runtime/: what every app process has (config, logger, metrics, Redis, health, shutdown).
export * from './runtime/app-runtime.js';
export { CLOSED_PR_MEMORY_MS } from './store/apply-heads-lua.js';
