// `pnpm bench`: every benchmark, each in its own process, one after the other. Never fails on timing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchmarks = [
  ['ingress: webhooks/s, bare node:http vs Stagecraft ingress', 'ingress.mjs'],
  // Two sizes, so a per-event cost that grew with the burst would show.
  ['burst: 1,000 events in one settle window', 'burst.mjs', { BURST_EVENTS: '1000' }],
  ['burst: 10,000 events in one settle window', 'burst.mjs', { BURST_EVENTS: '10000' }],
];

let failed = false;
for (const [title, file, env = {}] of benchmarks) {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (!existsSync(path)) continue;
  console.log(`\n=== ${title} ===`);
  const { status } = spawnSync(process.execPath, [path], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (status !== 0) {
    console.log(`${file} exited with ${status}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
