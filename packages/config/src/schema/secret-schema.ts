import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Secret } from '../secret.js';

/** Where secret references resolve: env names against `env`, relative file paths against `baseDir`. */
export interface SecretContext {
  env: NodeJS.ProcessEnv;
  baseDir: string;
}

const envReference = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like GITHUB_WEBHOOK_SECRET'),
});
const fileReference = z.strictObject({ file: z.string().min(1, 'expected a file path') });

function describeWrongReference(input: unknown): string {
  if (typeof input === 'string' || typeof input === 'number') {
    return 'secrets cannot be written into the config: use { env: NAME } to read it from an environment variable or { file: PATH } to read it from a file';
  }
  const keys = input !== null && typeof input === 'object' ? Object.keys(input) : [];
  const got = keys.length > 0 ? `a mapping with ${keys.join(', ')}` : input === null ? 'null' : `${typeof input}`;
  return `expected { env: NAME } or { file: PATH }, got ${got}`;
}

function readSecretFile(path: string): { value: string } | { error: string } {
  try {
    // A trailing newline is how editors and `echo` end files, never part of the secret.
    return { value: readFileSync(path, 'utf8').replace(/\r?\n$/, '') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { error: `cannot read secret file ${path} (${reason}): create it, or point this field at the file that holds the secret` };
  }
}

/**
 * `{ env: NAME }` or `{ file: PATH }`, resolved into a `Secret` at load. An unset variable gives an
 * unset Secret (the app that needs it decides whether that is fatal); a missing file is a config error.
 */
export function secretSchema(context: SecretContext) {
  return z
    .union([envReference, fileReference], { error: (issue) => describeWrongReference(issue.input) })
    .transform((reference, ctx) => {
      if ('env' in reference) return Secret.fromEnv(reference.env, context.env);
      const path = resolve(context.baseDir, reference.file);
      const read = readSecretFile(path);
      if ('error' in read) {
        ctx.issues.push({ code: 'custom', message: read.error, input: reference });
        return z.NEVER;
      }
      return new Secret(read.value, `file ${path}`);
    });
}
