// build: "builds the image" of each component to rebuild into the state dir's registry.
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_SRC, fail, statePath, writeJson, writeResults } from './lib/state.mjs';

const sha = process.env.STAGECRAFT_SHA || 'dev';
const rebuild = (process.env.STAGECRAFT_REBUILD ?? '').split(',').filter(Boolean);
if (process.env.DEMO_FAIL_BUILD) fail(`build failed: DEMO_FAIL_BUILD is set (${process.env.DEMO_FAIL_BUILD})`);
if (rebuild.length === 0) {
  console.log('nothing to rebuild');
  process.exit(0);
}
const images = [];
for (const component of rebuild) {
  const dir = statePath('images', component, sha);
  rmSync(dir, { recursive: true, force: true });
  cpSync(SERVICE_SRC, dir, { recursive: true });
  const files = Object.fromEntries(
    readdirSync(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );
  writeJson(join(dir, 'manifest.json'), { component, sha, builtAt: new Date().toISOString(), files });
  images.push({ component, tag: `localhost/demo-${component}:${sha.slice(0, 12)}`, files: Object.keys(files).length });
  console.log(`built ${component} → localhost/demo-${component}:${sha.slice(0, 12)} (${Object.keys(files).length} files)`);
}
writeResults({ images });
