'use strict';
// Runs a stage command so that it cannot outlive the worker that started it.
// The worker spawns this script as the leader of a new process group and keeps its stdin pipe
// open without writing. If the worker dies — even by SIGKILL, which it cannot handle — the pipe
// closes, and this script kills the whole group, so a re-run of the job on another worker never
// overlaps with an orphaned command.
// Usage: node watchdog.cjs <killGraceMs>   (command in env STAGECRAFT_WATCHDOG_COMMAND)
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

const command = process.env.STAGECRAFT_WATCHDOG_COMMAND;
delete process.env.STAGECRAFT_WATCHDOG_COMMAND;
const graceMs = Number(process.argv[2] ?? 5000);
if (!command) {
  process.stderr.write('watchdog: STAGECRAFT_WATCHDOG_COMMAND is not set\n');
  process.exit(2);
}

const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
let killTimerArmed = false;
let lifelineLost = false;

function signalGroup(signal) {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // the group is already gone
  }
}

function armKill() {
  if (killTimerArmed) return;
  killTimerArmed = true;
  setTimeout(() => signalGroup('SIGKILL'), graceMs).unref();
}

// The worker signals the whole group, so the command has the SIGTERM already: only make sure
// SIGKILL follows, and stay alive until the command exits to report how it ended.
process.on('SIGTERM', armKill);
process.on('SIGINT', armKill);

function onLifelineLost() {
  if (lifelineLost) return;
  lifelineLost = true;
  signalGroup('SIGTERM');
  armKill();
}
process.stdin.on('end', onLifelineLost);
process.stdin.on('close', onLifelineLost);
process.stdin.on('error', onLifelineLost);
process.stdin.resume();

child.on('error', (err) => {
  process.stderr.write(`watchdog: cannot start /bin/sh: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Nobody is left to clean up after us: take down whatever the command left in the group.
  if (lifelineLost) signalGroup('SIGKILL');
  if (signal) {
    // End the same way, so the worker sees the signal rather than a made-up exit code.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    setImmediate(() => process.exit(128 + (constants.signals[signal] ?? 0)));
    return;
  }
  process.exit(code ?? 1);
});
