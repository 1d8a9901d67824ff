import { z } from 'zod';
import { appsSchema } from './apps-schema.js';
import { componentsSchema } from './component-schema.js';
import { composeRulesSchema, copyLegacyComposeRules, LEGACY_COMPOSE_RULE_KEYS } from './compose-rules-schema.js';
import { DEFAULT_ENVIRONMENTS, environmentsSchema } from './environments-schema.js';
import { githubSchema } from './github-schema.js';
import { logSchema } from './log-schema.js';
import { policySchema } from './policy-schema.js';
import { redisSchema } from './redis-schema.js';
import type { SecretContext } from './secret-schema.js';
import { stagesSchema } from './stage-schema.js';
import { trustSchema } from './trust-schema.js';
import { workersSchema } from './workers-schema.js';

/** The whole of stagecraft.yaml. Secrets resolve while parsing, hence the context. */
export function createConfigSchema(secrets: SecretContext) {
  const config = z.strictObject({
    redis: redisSchema(secrets).prefault({}),
    github: githubSchema(secrets).prefault({}),
    policy: policySchema.prefault({}),
    trust: trustSchema.prefault({}),
    compose: composeRulesSchema.prefault({}),
    environments: environmentsSchema(secrets).prefault(DEFAULT_ENVIRONMENTS),
    components: componentsSchema.prefault([]),
    stages: stagesSchema(secrets).prefault({}),
    workers: workersSchema.prefault({}),
    apps: appsSchema(secrets).prefault({}),
    log: logSchema.prefault({}),
  });
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
