import { APP_NAMES } from '@stagecraft/launcher';

/** What `stagecraft help` prints. */
export const USAGE_TEXT = `Usage: stagecraft <command> [options]

Commands:
  start [--config F] [--only a,b] [--replicas app=N,...]
        Run every Stagecraft app as a child process with one log stream (Ctrl-C stops them).
        Starts a private redis-server when none answers at a local REDIS_URL.
        Apps: ${APP_NAMES.join(', ')}
  demo [--config examples/stagecraft.yaml] [--exit-after-cycle]
        Start everything with the example config, send a push and a pull request,
        and follow the cycle they cause stage by stage.
  status [--url URL] [--token T] [--json] [--cycle ID] [--config F]
        Running and next cycles per environment, and the last 10 cycles, from the dashboard API;
        with several repositories, what each environment runs of each; webhooks ingress ignored.
        Token: --token, STAGECRAFT_DASHBOARD_TOKEN, or .stagecraft/dashboard-token.
  releases [--env E] [--json]
        Releases (what each cycle deployed) and the open promotion requests.
  promote --env production [--release ID|SHA] [--json]
        Ask to promote a release (default: the newest one that passed a full staging cycle).
  approve [--env production] [--request ID]      reject [--env E] [--request ID] [--reason TEXT]
  rollback [--env production] [--release ID]
        Approve, reject, or ask to roll back to an earlier production release.
  override [--env production] [--request ID] --reason TEXT
        An admin deploys an approved request now, although a deny window holds it (audited).
  audit [--env production] [--json]
        Every promotion step: asked, approved, refused, expired, deployed, rolled back.
        These act as the dashboard token's login (apps.dashboard.users), like \`@bot promote\` on a PR;
        same --url/--token as status.
  send-webhook <push|pull_request|issue_comment|check_run|status> [--repo owner/name] [--url URL]
        [--secret S] [--pr N] [--sha SHA] [--author LOGIN] [--body TEXT] [--paths a,b] [--action opened]
        [--name ci/build] [--conclusion success] [--status in_progress] [--state failure] [--config F]
        Post a signed example webhook to the ingress, as GitHub would, about --repo
        (default: the first of repositories:). check_run and status report a check on the commit
        --sha (a PR's head, for compose.requireChecks): --name is the check run's name or the status's
        context; a check run with --conclusion (success, failure, neutral, cancelled, skipped,
        timed_out, action_required) is completed, else --status (queued, in_progress); a status
        has --state (pending, success, failure, error).
  simulate <events.jsonl> [--config F] [--cycle-duration 10m]
        Replay a recorded event history through the scheduling policy and print the
        cycles it would have run (examples in examples/simulate/).
  config check [--config F]
        Print the resolved configuration (secrets masked), or what is wrong with it.
  help  This text.

The config file is --config, else STAGECRAFT_CONFIG; every field can be overridden by env.
`;
