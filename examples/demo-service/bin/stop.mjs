// Stops the demo service if it runs.
import { rmSync } from 'node:fs';
import { isAlive, runningService, sleep, statePath } from './lib/state.mjs';

const service = runningService();
if (service) {
  process.kill(service.pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(service.pid); i++) await sleep(50);
  console.log(`stopped the demo service ${service.version}`);
}
rmSync(statePath('service.json'), { force: true });
