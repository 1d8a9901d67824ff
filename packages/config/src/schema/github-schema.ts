import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';
import { durationSchema } from './duration-schema.js';
import { branchSchema, REPOSITORY_PATTERN, REPOSITORY_RULE } from './repositories-schema.js';

export function githubSchema(secrets: SecretContext) {
  return z.strictObject({
    /**
     * One repository: the short form of `repositories: [{ name, mainBranch, stagingBranch }]`.
     * Null when not given; normalized into `repositories` (see config-schema).
     */
    repository: z.string().regex(REPOSITORY_PATTERN, REPOSITORY_RULE).nullable().default(null),
    mainBranch: branchSchema.nullable().default(null),
    stagingBranch: branchSchema.nullable().default(null),
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
