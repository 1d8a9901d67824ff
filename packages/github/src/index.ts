// app/: the GitHub App, an installation client per configured repository, and the app as the config describes it.
export * from './app/create-github-app.js';
export * from './app/repository-coordinates.js';
export * from './app/repository-clients.js';
export * from './app/github-app-from-config.js';
// roles/: maintainers and trusted authors from teams and repository permissions.
export * from './roles/github-roles.js';
export * from './roles/github-roles-from-config.js';
// pulls/: pull requests, their files, main's compare; each in its repository.
export * from './pulls/list-open-pull-requests.js';
export * from './pulls/select-ready-pull-requests.js';
export * from './pulls/list-pull-request-files.js';
export * from './pulls/list-compared-files.js';
export * from './pulls/github-changed-paths.js';
export * from './pulls/github-pull-request-lookup.js';
export * from './pulls/github-remote-heads.js';
// checks/: a commit's check runs and statuses, branch protection's required checks, for the required-checks rule.
export * from './checks/list-check-runs.js';
export * from './checks/read-combined-status.js';
export * from './checks/read-required-checks.js';
export * from './checks/github-check-lookup.js';
export * from './checks/pull-request-checks.js';
// compose/: each repository's staging branch through the merges API, as a compose executor.
export * from './compose/compose-staging.js';
export * from './compose/github-compose-executor.js';
export * from './compose/github-compose-executor-definition.js';
// report/: everything said on a PR about a cycle (check runs, comments, deployments), in the PR's repository.
export * from './report/post-notification.js';
export * from './report/upsert-marked-comment.js';
export * from './report/upsert-check-run.js';
export * from './report/publish-deployment.js';
export * from './report/cycle-publisher.js';
export * from './report/pr-comment-state.js';
export * from './report/post-waiting.js';
export * from './report/waiting-report.js';
export * from './report/cycle-report.js';
export * from './report/cycle-verdict.js';
export * from './report/left-out-reason.js';
export * from './report/exclusion-comment.js';
export * from './report/post-exclusion.js';
export * from './report/post-main-broken.js';
export * from './report/excluded-label-marks.js';
export * from './report/flaky-stages.js';
export * from './report/bisection-report.js';
// errors/: what the operator is told, and what to do next.
export * from './errors/github-app-not-configured-error.js';
export * from './errors/unknown-repository-error.js';
export * from './errors/app-not-installed-error.js';
export * from './errors/installation-gone-error.js';
export * from './errors/compose-repository-error.js';
export * from './errors/publish-failed-error.js';
export * from './errors/required-checks-unreadable-error.js';
export * from './errors/required-checks-need-app-error.js';
