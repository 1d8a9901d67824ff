// `pnpm test` runs this first: what the suite needs beyond `pnpm install`, so the README's test
// command passes on a fresh machine. Today that is Chromium for the dashboard's browser test
// (test/e2e/dashboard.e2e.test.ts drives it with playwright-core, which downloads no browser).
// Installs Debian's `chromium` where it can (root with apt-get); otherwise says in one line what to
// install and stops, before the build and the suite spend minutes to fail at the end.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What to do about Chromium: nothing, install Debian's package, or stop with one line. */
export function chromiumPlan({ chromiumPath, root, aptGet, exists }) {
  const chromium = chromiumPath || '/usr/bin/chromium';
  if (exists(chromium)) return { action: 'nothing', chromium };
  if (chromiumPath) {
    return { action: 'stop', chromium, line: `CHROMIUM_PATH is ${chromium}, which does not exist: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium` };
  }
  if (!root || !aptGet) {
    return { action: 'stop', chromium, line: `pnpm test needs Chromium for the dashboard's browser test: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary` };
  }
  return { action: 'install', chromium, line: `no ${chromium}; installing Debian's chromium for the dashboard's browser test` };
}

function onPath(command) {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function stop(line) {
  console.error(`ensure-test-tools: ${line}`);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const plan = chromiumPlan({ chromiumPath: process.env['CHROMIUM_PATH'], root: process.getuid?.() === 0, aptGet: onPath('apt-get'), exists: existsSync });
  if (plan.action === 'stop') stop(plan.line);
  if (plan.action === 'install') {
    console.log(`ensure-test-tools: ${plan.line}`);
    const apt = { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    try {
      execFileSync('apt-get', ['update', '-qq'], apt);
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], apt);
    } catch {
      stop('apt-get could not install chromium (its errors are above): install it by hand (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary');
    }
    if (!existsSync(plan.chromium)) stop(`apt-get installed chromium but there is no ${plan.chromium}: set CHROMIUM_PATH to its binary`);
  }
}
