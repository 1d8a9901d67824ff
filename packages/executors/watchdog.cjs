'use strict';
// Runs a stage command so that it cannot outlive the worker that started it.
// The worker spawns this script as the leader of a new process group and keeps its stdin pipe
// open without writing. If the worker dies — even by SIGKILL, which it cannot handle — the pipe
// closes, and this script kills the whole group, so a re-run of the job on another worker never
// overlaps with an orphaned command.
// The group gets SIGTERM first and SIGKILL only after the kill grace, so the command may clean up;
// the grace runs from the worker's death, not from the end of the `sh -c` wrapper, which dies at
// the first SIGTERM while the processes it started may still be cleaning up.
// Usage: node watchdog.cjs <killGraceMs>   (command in env STAGECRAFT_WATCHDOG_COMMAND)
const { spawn } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
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
// Whether a process of the group other than this one still runs (zombies do not count: an
// orphan that died stays one until init reaps it). Reads /proc; true where there is none, so the
// group then gets the whole grace.
function othersInGroupRun() {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …"; comm may itself contain spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === process.pid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

// Nobody is left to clean up after us: stay until the group is gone or its grace is over (the
// kill timer armed when the lifeline was lost then kills the group, this process with it).
function exitOnceGroupIsGone() {
  if (!othersInGroupRun()) process.exit(0);
  setTimeout(exitOnceGroupIsGone, 50);
}

child.on('exit', (code, signal) => {
  if (lifelineLost) {
    exitOnceGroupIsGone();
    return;
  }
  if (signal) {
    // End the same way, so the worker sees the signal rather than a made-up exit code.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    setImmediate(() => process.exit(128 + (constants.signals[signal] ?? 0)));
    return;
  }
  process.exit(code ?? 1);
});
