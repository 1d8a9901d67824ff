import { z } from 'zod';
import { formatDuration } from '@stagecraft/policy';
import { appsSchema } from './apps-schema.js';
import { componentsSchema } from './component-schema.js';
import { composeRulesSchema, copyLegacyComposeRules, LEGACY_COMPOSE_RULE_KEYS } from './compose-rules-schema.js';
import { DEFAULT_ENVIRONMENTS, environmentsSchema } from './environments-schema.js';
import { githubSchema } from './github-schema.js';
import { logSchema } from './log-schema.js';
import { policySchema } from './policy-schema.js';
import { redisSchema } from './redis-schema.js';
import { repositoriesSchema } from './repositories-schema.js';
import { checkRepositories, normalizeRepositories } from './normalize-repositories.js';
import { checkRequireChecks } from './check-require-checks.js';
import type { SecretContext } from './secret-schema.js';
import { stagesSchema } from './stage-schema.js';
import { trustSchema } from './trust-schema.js';
import { workersSchema } from './workers-schema.js';

/** The whole of stagecraft.yaml. Secrets resolve while parsing, hence the context. */
export function createConfigSchema(secrets: SecretContext) {
  const config = z.strictObject({
    redis: redisSchema(secrets).prefault({}),
    github: githubSchema(secrets).prefault({}),
    /** The repositories staging composes; `github.repository` is the short form for one. */
    repositories: repositoriesSchema.optional(),
    policy: policySchema.prefault({}),
    trust: trustSchema.prefault({}),
    compose: composeRulesSchema.prefault({}),
    environments: environmentsSchema(secrets).prefault(DEFAULT_ENVIRONMENTS),
    components: componentsSchema.prefault([]),
    stages: stagesSchema(secrets).prefault({}),
    workers: workersSchema.prefault({}),
    apps: appsSchema(secrets).prefault({}),
    log: logSchema.prefault({}),
  }).superRefine((config, ctx) => {
    // When a worker dies its command may use the whole grace; another worker may start the job
    // again as soon as the job's lock lapses, from half workers.lockDuration on (the lock is renewed
    // every half). The command must be gone by then, or two runs of one stage overlap.
    const lockDuration = config.workers.lockDuration;
    for (const [name, stage] of Object.entries(config.stages)) {
      if (stage.executor !== 'local' || stage.command === null || stage.killGrace < lockDuration / 2) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['stages', name, 'killGrace'],
        message: `${formatDuration(stage.killGrace)} is not shorter than half of workers.lockDuration (${formatDuration(lockDuration)}): after a worker dies another may start the job again while this command still has its grace; shorten killGrace or lengthen workers.lockDuration`,
      });
    }
  })
    .superRefine(checkRepositories)
    .superRefine(checkRequireChecks)
    .transform(normalizeRepositories);
  return z.preprocess(
    copyLegacyComposeRules,
    config.superRefine((c, ctx) => {
      const legacy = c.stages.compose;
      if (legacy.executor !== 'github') return;
      for (const key of LEGACY_COMPOSE_RULE_KEYS) {
        if (legacy[key] !== undefined && legacy[key] !== c.compose[key]) {
          ctx.addIssue({
            code: 'custom',
            path: ['stages', 'compose', key],
            message: `is the old place of compose.${key}, which says otherwise: keep only compose.${key}`,
          });
        }
      }
    }),
  );
}

export type ConfigSchema = ReturnType<typeof createConfigSchema>;
