// app/: the GitHub App, its installation clients, and the app as the config describes it.
export * from './app/create-github-app.js';
export * from './app/installation-client.js';
export * from './app/github-app-from-config.js';
// roles/: maintainers and trusted authors from teams and repository permissions.
export * from './roles/github-roles.js';
export * from './roles/github-roles-from-config.js';
// pulls/: pull requests, their files, main's compare.
export * from './pulls/list-open-pull-requests.js';
export * from './pulls/select-ready-pull-requests.js';
export * from './pulls/list-pull-request-files.js';
export * from './pulls/list-compared-files.js';
export * from './pulls/github-changed-paths.js';
export * from './pulls/github-pull-request-lookup.js';
export * from './pulls/github-remote-heads.js';
// compose/: the staging branch through the merges API, as a compose executor.
export * from './compose/compose-staging.js';
export * from './compose/github-compose-executor.js';
// report/: everything said on a PR about a cycle (check runs, comments, deployments).
export * from './report/post-notification.js';
export * from './report/upsert-marked-comment.js';
export * from './report/upsert-check-run.js';
export * from './report/publish-deployment.js';
export * from './report/cycle-publisher.js';
export * from './report/cycle-report.js';
export * from './report/cycle-verdict.js';
export * from './compose/github-compose-executor-definition.js';
export * from './errors/github-app-not-configured-error.js';
