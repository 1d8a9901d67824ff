import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildWebhook } from '@stagecraft/webhooks';
import type { CliCommand } from '../cli-command.js';
import type { CliIo } from '../cli-io.js';
import { followCycle } from '../demo/follow-cycle.js';
import type { RunningStack } from '@stagecraft/launcher';
import { postWebhook } from '../post-webhook.js';
import { findRepoRoot } from '../repo-root.js';
import { runStackSession } from '../stack-session.js';
import { DashboardClient } from '../status/dashboard-client.js';
import { upLine } from '../up-line.js';

const DEMO_FILE = 'examples/demo-service/src/server.mjs';
const DEMO_AUTHOR = 'Codertocat';
// pino's warn: below it, app lines go to the log file only, so the cycle's progress stays readable.
const TERMINAL_LOG_LEVEL = 40;

/**
 * `stagecraft demo`: the whole stack on the example config, a push and a pull request sent to it,
 * and the cycle they cause followed stage by stage; then it keeps running for the user to try more.
 */
export async function demoCommand(cmd: Extract<CliCommand, { name: 'demo' }>, io: CliIo): Promise<number> {
  const root = findRepoRoot();
  mkdirSync(join(io.cwd, '.stagecraft'), { recursive: true, mode: 0o700 });
  const logFile = join(io.cwd, '.stagecraft', 'demo.log');
  writeFileSync(logFile, '');
  // DEMO_STATE_DIR passes through when set; otherwise the demo service uses its own default.
  let appEnv: NodeJS.ProcessEnv = { ...io.env };

  return runStackSession({
    launch: {
      root,
      cwd: io.cwd,
      configPath: cmd.configPath,
      only: null,
      replicas: {},
      generateWebhookSecret: true,
      color: io.isTty,
      minLevel: TERMINAL_LOG_LEVEL,
      logFile,
    },
    notice: (line) => io.err(`${line}\n`),
    whenUp: async (stack) => {
      appEnv = stack.env;
      const say = (line: string) => stack.log.cli(line);
      say(upLine(stack, null));
      say(`app logs: warnings and errors here, everything in ${relative(io.cwd, logFile)}`);
      const finished = await runDemoCycle(stack, say);
      if (cmd.exitAfterCycle) return finished ? 0 : 1;
      for (const line of nextSteps(stack, cmd.configPath, relative(io.cwd, logFile))) say(line);
      return 'keep-running';
    },
    afterStop: () => stopDemoService(root, appEnv, (line) => io.out(`${line}\n`)),
  });
}

/** Sends the demo's push and pull request and follows the cycle; true when it succeeded. */
async function runDemoCycle(stack: RunningStack, say: (line: string) => void): Promise<boolean> {
  const { config } = stack;
  const client = new DashboardClient(stack.dashboardUrl, config.apps.dashboard.token.reveal());
  const baseline = new Set((await client.cycles(null, 50)).map((c) => c.id));
  // The demo service is the first repository's (examples/stagecraft.yaml has only that one).
  const [repository] = config.repositories;
  const about = { repository: repository!.name, author: DEMO_AUTHOR };
  const mainBranch = repository!.mainBranch;

  const pushSha = randomBytes(20).toString('hex');
  const push = buildWebhook('push', { ...about, branch: mainBranch, sha: pushSha, paths: [DEMO_FILE] });
  const pushed = await postWebhook(stack.ingressUrl, stack.webhookSecret!, 'push', push);
  say(`sent a signed push to ${mainBranch} (${pushSha.slice(0, 7)}) touching ${DEMO_FILE}: ${pushed.status} ${pushed.body}`);

  const prSha = randomBytes(20).toString('hex');
  const pr = buildWebhook('pull_request', { ...about, action: 'opened', number: 1, sha: prSha, base: mainBranch });
  const opened = await postWebhook(stack.ingressUrl, stack.webhookSecret!, 'pull_request', pr);
  say(`sent a signed pull_request opened: #1 by ${DEMO_AUTHOR} at ${prSha.slice(0, 7)}: ${opened.status} ${opened.body}`);
  if (pushed.status >= 300 || opened.status >= 300) {
    say('the ingress did not accept the webhooks; its log lines above say why');
    return false;
  }

  const { settleMax, throttle } = config.policy;
  const cycle = await followCycle(client, { baseline, print: say, deadline: Date.now() + settleMax + throttle + 10 * 60_000 });
  if (cycle === null) say('no cycle finished in time; `stagecraft status` shows where it stands');
  return cycle?.state === 'succeeded';
}

function nextSteps(stack: RunningStack, configPath: string, logFile: string): string[] {
  const token = stack.dashboardTokenFile ? `the token is in ${stack.dashboardTokenFile}` : 'the token is $STAGECRAFT_DASHBOARD_TOKEN';
  const c = `--config ${configPath}`;
  return [
    'what to try next, in another terminal in this directory:',
    `  pnpm stagecraft status ${c}`,
    `  pnpm stagecraft send-webhook push --paths ${DEMO_FILE} ${c}`,
    `  pnpm stagecraft send-webhook issue_comment --body "@${stack.config.github.botName} trigger" ${c}   (a full cycle, with the test kernel)`,
    `  pnpm stagecraft send-webhook pull_request --pr 2 --author someone-untrusted ${c}   (waits for "@${stack.config.github.botName} deploy")`,
    `  the dashboard: ${stack.dashboardUrl} (${token}; send it as "Authorization: Bearer <token>")`,
    `  every app's log: ${logFile}`,
    'Ctrl-C stops everything.',
  ];
}

/** The demo service's deploy step leaves a server running; its own script stops it. */
function stopDemoService(root: string, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<void> {
  const script = join(root, 'examples', 'demo-service', 'bin', 'stop.mjs');
  if (!existsSync(script)) return Promise.resolve();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: root, env, stdio: 'inherit' });
    child.on('error', (err) => {
      say(`could not run ${relative(root, script)}: ${err.message}`);
      resolve();
    });
    child.on('exit', () => resolve());
  });
}
