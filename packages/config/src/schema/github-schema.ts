import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';

const branch = z.string().regex(/^[^\s~^:?*[\\]+$/, 'expected a git branch name');

export function githubSchema(secrets: SecretContext) {
  return z.strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name", like "octo-org/service"')
      .default('example/repo'),
    mainBranch: branch.default('main'),
    stagingBranch: branch.default('staging'),
    botName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/, 'expected the bot\'s GitHub login, like "stagecraft"')
      .default('stagecraft'),
    appId: z.number().int().positive().nullable().default(null),
    privateKey: secretSchema(secrets).nullable().default(null),
    webhookSecret: secretSchema(secrets).prefault({ env: 'GITHUB_WEBHOOK_SECRET' }),
    baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like "https://api.github.com"' }).default('https://api.github.com'),
  });
}
