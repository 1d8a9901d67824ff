import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';
import { durationSchema } from './duration-schema.js';

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
    /** The check run Stagecraft keeps on each PR head it stages. */
    checkName: z.string().min(1).max(100).default('stagecraft/staging'),
    /** Also record each cycle's deploy as a GitHub Deployment on the PR heads. */
    deployments: z.boolean().default(true),
    /** Spacing between GitHub writes; GitHub asks for at least a second between content-creating requests. */
    writeInterval: durationSchema({ positive: false }).prefault('1s'),
    /** Spacing between new comments, which notify people; Octokit's default is 3 s. */
    commentInterval: durationSchema({ positive: false }).prefault('3s'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like "https://api.github.com"' }).default('https://api.github.com'),
  });
}
