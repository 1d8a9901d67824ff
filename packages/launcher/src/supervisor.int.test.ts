import { afterEach, describe, expect, it } from '@jest/globals';
import { Supervisor, type ProcessSpec } from './supervisor.js';

const node = (label: string, script: string): ProcessSpec => ({
  label,
  command: process.execPath,
  args: ['-e', script],
  cwd: process.cwd(),
  env: { PATH: process.env['PATH'] ?? '' },
});

const waitFor = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervisor', () => {
  let supervisor: Supervisor | null = null;
  afterEach(async () => {
    await supervisor?.stop(1000);
    supervisor = null;
  });

  it('labels every output line and restarts a crashing child until it gives up', async () => {
    const output: string[] = [];
    const notices: string[] = [];
    const gaveUp: string[] = [];
    supervisor = new Supervisor([node('crashy', 'console.log("up"); console.error("boom"); process.exit(3)')], {
      output: (label, line) => output.push(`${label}: ${line}`),
      notice: (line) => notices.push(line),
      onGiveUp: (label) => gaveUp.push(label),
      maxRestartsPerWindow: 2,
      backoffMs: 10,
    });
    supervisor.start();
    await waitFor('the supervisor to give up', () => gaveUp.length > 0);
    expect(gaveUp).toEqual(['crashy']);
    expect(output.filter((l) => l === 'crashy: up')).toHaveLength(3);
    expect(output.filter((l) => l === 'crashy: boom')).toHaveLength(3);
    expect(notices).toEqual([
      'crashy exited with code 3; restarting it in 10ms (restart 1 of 2 allowed per 1m)',
      'crashy exited with code 3; restarting it in 20ms (restart 2 of 2 allowed per 1m)',
      'crashy exited with code 3, and has crashed 3 times within 1m: giving up on it',
    ]);
    expect(supervisor.running()).toEqual([]);
  });

  it('keeps a character whole when the child writes its bytes in two pieces', async () => {
    const output: string[] = [];
    // 🚀 is four bytes; the pause makes the pipe deliver them as two chunks.
    supervisor = new Supervisor(
      [node('split', 'const b = Buffer.from("go 🚀\\n"); process.stdout.write(b.subarray(0, 5)); setTimeout(() => { process.stdout.write(b.subarray(5)); setInterval(() => {}, 1000) }, 100)')],
      { output: (_, line) => output.push(line), notice: () => {}, onGiveUp: () => {} },
    );
    supervisor.start();
    await waitFor('the line', () => output.length > 0);
    expect(output).toEqual(['go 🚀']);
  });

  it('stops running children with SIGTERM and does not restart them', async () => {
    const output: string[] = [];
    const notices: string[] = [];
    supervisor = new Supervisor(
      [node('steady', 'process.on("SIGTERM", () => { console.log("bye"); process.exit(0) }); console.log("ready"); setInterval(() => {}, 1000)')],
      { output: (_, line) => output.push(line), notice: (l) => notices.push(l), onGiveUp: () => {} },
    );
    supervisor.start();
    await waitFor('the child to start', () => output.includes('ready'));
    expect(supervisor.running()).toEqual(['steady']);
    await supervisor.stop(5000);
    expect(output).toEqual(['ready', 'bye']);
    expect(notices).toEqual([]);
    expect(supervisor.running()).toEqual([]);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const output: string[] = [];
    supervisor = new Supervisor([node('stubborn', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)')], {
      output: (_, line) => output.push(line),
      notice: () => {},
      onGiveUp: () => {},
    });
    supervisor.start();
    await waitFor('the child to start', () => output.includes('ready'));
    await supervisor.stop(200);
    expect(supervisor.running()).toEqual([]);
  });
});
