import { readFileSync } from 'node:fs';

/** Whether a process with this pid still runs; a zombie (dead, not yet reaped) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** Polls until the process is gone; false if it still runs after ~2 s. */
export async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

/** The first line that is a bare number: the pid a test command echoed with `echo $!`. */
export function echoedPid(lines: string[]): number {
  const line = lines.find((l) => /^\d+$/.test(l));
  if (line === undefined) throw new Error(`the command printed no pid; output was: ${JSON.stringify(lines)}`);
  return Number(line);
}
