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
let stopping = false;

function stopGroup() {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    // the group is already gone
  }
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, graceMs).unref();
}

// A SIGTERM to the group reaches this process too: wait for the command instead of dying first.
process.on('SIGTERM', stopGroup);
process.on('SIGINT', stopGroup);
process.stdin.on('end', stopGroup);
process.stdin.on('close', stopGroup);
process.stdin.on('error', stopGroup);
process.stdin.resume();

child.on('error', (err) => {
  process.stderr.write(`watchdog: cannot start /bin/sh: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
