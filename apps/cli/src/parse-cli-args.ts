import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '@stagecraft/config';
import { APP_NAMES, isAppName, type AppName } from '@stagecraft/launcher';
import {
  CHECK_RUN_CONCLUSIONS,
  CHECK_RUN_STATUSES,
  COMMIT_STATUS_STATES,
  WEBHOOK_NAMES,
  type CheckRunConclusion,
  type CheckRunStatus,
  type CliCommand,
  type CommitStatusState,
  type PromotionAction,
  type WebhookName,
} from './cli-command.js';
import { UsageError } from './errors/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

const config: Options = { config: { type: 'string', short: 'c' } };

const DEFAULT_CYCLE_DURATION = '10m';
// GitHub's owner/name, as config repositories[].name takes it.
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const DEFAULT_DEMO_CONFIG = 'examples/stagecraft.yaml';

/** argv without the node binary and script, e.g. `['status', '--json']`. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined) return { name: 'help', problem: 'no command given' };
  if (first === 'help' || first === '--help' || first === '-h') return { name: 'help', problem: null };
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help', problem: null };

  switch (first) {
    case 'config': {
      const [sub, ...args] = rest;
      if (sub !== 'check') {
        throw new UsageError(sub === undefined ? '`stagecraft config` needs a subcommand: `stagecraft config check`' : `unknown subcommand "config ${sub}": the only one is \`config check\``);
      }
      const { values } = parse(args, config, 0, 'config check');
      return { name: 'config-check', configPath: str(values, 'config') };
    }
    case 'simulate': {
      const { values, positionals } = parse(rest, { ...config, 'cycle-duration': { type: 'string' } }, 1, 'simulate', '<events.jsonl>');
      return {
        name: 'simulate',
        eventsPath: positionals[0]!,
        configPath: str(values, 'config'),
        cycleDurationMs: duration('--cycle-duration', str(values, 'cycle-duration') ?? DEFAULT_CYCLE_DURATION),
      };
    }
    case 'status': {
      const { values } = parse(
        rest,
        { ...config, url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, cycle: { type: 'string' } },
        0,
        'status',
      );
      return {
        name: 'status',
        configPath: str(values, 'config'),
        url: str(values, 'url'),
        token: str(values, 'token'),
        json: values['json'] === true,
        cycleId: str(values, 'cycle'),
      };
    }
    case 'start': {
      const { values } = parse(rest, { ...config, only: { type: 'string' }, replicas: { type: 'string', multiple: true } }, 0, 'start');
      const only = str(values, 'only');
      const replicas = (values['replicas'] as unknown as string[] | undefined) ?? [];
      return {
        name: 'start',
        configPath: str(values, 'config'),
        only: only === null ? null : appList('--only', only),
        replicas: replicaCounts(replicas.flatMap((r) => r.split(','))),
      };
    }
    case 'send-webhook': {
      const { values, positionals } = parse(
        rest,
        {
          ...config,
          repo: { type: 'string' },
          url: { type: 'string' },
          secret: { type: 'string' },
          pr: { type: 'string' },
          sha: { type: 'string' },
          author: { type: 'string' },
          body: { type: 'string' },
          paths: { type: 'string' },
          action: { type: 'string' },
          name: { type: 'string' },
          conclusion: { type: 'string' },
          status: { type: 'string' },
          state: { type: 'string' },
        },
        1,
        'send-webhook',
        `<${WEBHOOK_NAMES.join('|')}>`,
      );
      const event = positionals[0]!;
      if (!(WEBHOOK_NAMES as readonly string[]).includes(event)) {
        throw new UsageError(`send-webhook sends ${WEBHOOK_NAMES.join(', ')}; "${event}" is not one of them`);
      }
      const sha = str(values, 'sha');
      if (sha !== null && !/^[0-9a-f]{40}$/i.test(sha)) throw new UsageError(`--sha must be a 40-character hex commit SHA, got "${sha}"`);
      // A check on a commit no PR has is only kept: the commit is the point.
      if (sha === null && (event === 'check_run' || event === 'status')) throw new UsageError(`send-webhook ${event} reports a check on a commit: pass --sha with the PR's head commit`);
      const paths = str(values, 'paths');
      const repo = str(values, 'repo');
      if (repo !== null && !REPOSITORY.test(repo)) throw new UsageError(`--repo must be "owner/name", like "octo-org/service", got "${repo}"`);
      return {
        name: 'send-webhook',
        event: event as WebhookName,
        repo,
        configPath: str(values, 'config'),
        url: str(values, 'url'),
        secret: str(values, 'secret'),
        pr: positiveInt('--pr', str(values, 'pr')),
        sha,
        author: str(values, 'author'),
        body: str(values, 'body'),
        paths: paths === null ? null : paths.split(',').map((p) => p.trim()).filter(Boolean),
        action: str(values, 'action'),
        ...checkOptions(event as WebhookName, values),
      };
    }
    case 'demo': {
      const { values } = parse(rest, { ...config, 'exit-after-cycle': { type: 'boolean' } }, 0, 'demo');
      return { name: 'demo', configPath: str(values, 'config') ?? DEFAULT_DEMO_CONFIG, exitAfterCycle: values['exit-after-cycle'] === true };
    }
    case 'releases':
    case 'promote':
    case 'approve':
    case 'reject':
    case 'rollback':
    case 'override':
    case 'audit': {
      const action = first as PromotionAction;
      const { values } = parse(
        rest,
        { ...config, url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, env: { type: 'string' }, release: { type: 'string' }, request: { type: 'string' }, reason: { type: 'string' } },
        0,
        action,
      );
      const takes: Record<PromotionAction, string[]> = { releases: [], audit: [], promote: ['release'], rollback: ['release'], approve: ['request'], reject: ['request', 'reason'], override: ['request', 'reason'] };
      for (const option of ['release', 'request', 'reason']) {
        if (str(values, option) !== null && !takes[action].includes(option)) throw new UsageError(`${action} takes no --${option}`);
      }
      return {
        name: 'promotion',
        action,
        configPath: str(values, 'config'),
        url: str(values, 'url'),
        token: str(values, 'token'),
        json: values['json'] === true,
        env: str(values, 'env'),
        release: str(values, 'release'),
        request: str(values, 'request'),
        reason: str(values, 'reason'),
      };
    }
    default:
      return { name: 'help', problem: `unknown command "${first}"` };
  }
}

function parse(args: string[], options: Options, positionalCount: number, command: string, positionalName = '') {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (err) {
    // node:util's messages name the option and say what is wrong; the trailing hint is Node's, not ours.
    throw new UsageError(`${command}: ${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`);
  }
  if (parsed.positionals.length !== positionalCount) {
    throw new UsageError(
      positionalCount === 0
        ? `${command} takes no arguments, got "${parsed.positionals.join(' ')}"`
        : `usage: stagecraft ${command} ${positionalName}${parsed.positionals.length > positionalCount ? ` (one argument, got ${parsed.positionals.length})` : ''}`,
    );
  }
  return parsed;
}

// The events each check option describes: the others have no check to describe.
const CHECK_OPTIONS: Record<'name' | 'conclusion' | 'status' | 'state', readonly WebhookName[]> = {
  name: ['check_run', 'status'],
  conclusion: ['check_run'],
  status: ['check_run'],
  state: ['status'],
};

/** send-webhook's check_run and status options, each only for the event it describes and with a value GitHub takes. */
function checkOptions(event: WebhookName, values: Values) {
  for (const [option, events] of Object.entries(CHECK_OPTIONS)) {
    if (str(values, option) !== null && !events.includes(event)) throw new UsageError(`send-webhook ${event} takes no --${option} (it is ${events.join(' and ')}'s)`);
  }
  const conclusion = oneOf('--conclusion', str(values, 'conclusion'), CHECK_RUN_CONCLUSIONS);
  const checkStatus = oneOf('--status', str(values, 'status'), CHECK_RUN_STATUSES);
  if (conclusion !== null && checkStatus !== null && checkStatus !== 'completed') {
    throw new UsageError(`--conclusion ${conclusion} is how a completed check run ended; drop --status ${checkStatus}, or leave out --conclusion`);
  }
  return {
    checkName: str(values, 'name'),
    conclusion: conclusion as CheckRunConclusion | null,
    checkStatus: checkStatus as CheckRunStatus | null,
    state: oneOf('--state', str(values, 'state'), COMMIT_STATUS_STATES) as CommitStatusState | null,
  };
}

function oneOf<T extends string>(option: string, text: string | null, allowed: readonly T[]): T | null {
  if (text === null) return null;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

function str(values: Values, key: string): string | null {
  const value = values[key];
  return typeof value === 'string' ? value : null;
}

function duration(option: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

function positiveInt(option: string, text: string | null): number | null {
  if (text === null) return null;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`${option} must be a positive whole number, got "${text}"`);
  return Number(text);
}

function appList(option: string, text: string): AppName[] {
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`${option} needs at least one app name: ${APP_NAMES.join(', ')}`);
  for (const name of names) {
    if (!isAppName(name)) throw new UsageError(`${option}: unknown app "${name}"; the apps are ${APP_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as AppName[];
}

function replicaCounts(pairs: string[]): Partial<Record<AppName, number>> {
  const counts: Partial<Record<AppName, number>> = {};
  for (const pair of pairs.map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(pair);
    if (!match) throw new UsageError(`--replicas takes app=count (e.g. deploy=2), got "${pair}"`);
    const [, app, count] = match;
    if (!isAppName(app!)) throw new UsageError(`--replicas: unknown app "${app}"; the apps are ${APP_NAMES.join(', ')}`);
    const n = Number(count);
    if (n < 1 || n > 16) throw new UsageError(`--replicas ${app}: between 1 and 16 processes, got ${n}`);
    counts[app] = n;
  }
  return counts;
}
