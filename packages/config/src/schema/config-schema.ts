import { z } from 'zod';
import { appsSchema } from './apps-schema.js';
import { componentsSchema } from './component-schema.js';
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
  return z.strictObject({
    redis: redisSchema(secrets).prefault({}),
    github: githubSchema(secrets).prefault({}),
    policy: policySchema.prefault({}),
    trust: trustSchema.prefault({}),
    environments: environmentsSchema(secrets).prefault(DEFAULT_ENVIRONMENTS),
    components: componentsSchema.prefault([]),
    stages: stagesSchema(secrets).prefault({}),
    workers: workersSchema.prefault({}),
    apps: appsSchema(secrets).prefault({}),
    log: logSchema.prefault({}),
  });
}

export type ConfigSchema = ReturnType<typeof createConfigSchema>;
