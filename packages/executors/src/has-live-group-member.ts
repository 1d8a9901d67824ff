import { readFile, readdir } from 'node:fs/promises';

/**
 * Whether any process of the group is still running, zombies aside: an orphan that has died
 * stays a zombie until init reaps it, and in a container whose init does not reap it stays one
 * forever, although it no longer runs. Reads /proc; undefined where there is none (not Linux).
 */
export async function hasLiveGroupMember(pgid: number): Promise<boolean | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …"; comm may itself contain spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}
