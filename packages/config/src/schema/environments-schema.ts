import { resolve } from 'node:path';
import { z } from 'zod';
import { denyWindowSchema } from './deny-window-schema.js';
import { durationSchema } from './duration-schema.js';

export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const NAME_RULE = 'expected a name of lowercase letters, digits and "-", like "staging"';

/** A Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Where the kubernetes executors find this environment's cluster. */
function kubernetesSchema(paths: { baseDir: string }) {
  return z
    .strictObject({
      /** A kubeconfig file (relative to the config file); else in-cluster, else the default (KUBECONFIG, ~/.kube/config). */
      kubeconfig: z
        .string()
        .min(1, 'expected a kubeconfig file path')
        .transform((path) => resolve(paths.baseDir, path))
        .optional(),
      /** A context of the kubeconfig; default: its current-context. */
      context: z.string().min(1, 'expected a kubeconfig context name').optional(),
      namespace: z.string().regex(NAMESPACE_PATTERN, 'expected a namespace name of lowercase letters, digits and "-", like "staging"').default('default'),
      /** Use the service account of the pod Stagecraft runs in. */
      inCluster: z.boolean().default(false),
    })
    .superRefine((k, ctx) => {
      if (!k.inCluster) return;
      for (const field of ['kubeconfig', 'context'] as const) {
        if (k[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `${field} does not apply with inCluster: true (the pod's service account is used): remove one of them` });
        }
      }
    });
}

function environmentSchema(paths: { baseDir: string }) {
  return z.strictObject({
    /** Cycles run on their own for changes on main and trusted PRs. */
    auto: z.boolean().default(false),
    /**
     * Deploys here only promote a release of the `from` environment, after `approvals` approvers said
     * so; no cycle runs here for changes (so it cannot go with auto: true).
     */
    approval: z.boolean().default(false),
    /** The environment whose releases are promoted here (approval: true). */
    from: z.string().regex(NAME_PATTERN, NAME_RULE).default('staging'),
    /** Which staging cycle a promoted release must have passed: a full one (tests ran) or any. */
    requires: z.enum(['full', 'partial'], { error: 'expected "full" or "partial"' }).default('full'),
    /** How many approvers must approve a promotion (a promote by an approver counts as one). */
    approvals: z.number().int('expected a whole number').min(1, 'must be at least 1').default(1),
    /** Nobody approves a release that contains a PR they wrote. */
    noSelfApproval: z.boolean().default(false),
    /** A promotion request not approved within this long expires. */
    requestTtl: durationSchema({ positive: true }).prefault('24h'),
    /** Weekly spans in which no promotion deploys here; an approved request waits for the end. */
    denyWindows: z.array(denyWindowSchema).default([]),
    /** How many releases of this environment are kept. */
    keepReleases: z.number().int('expected a whole number').min(1, 'must be at least 1').default(50),
    /** The cluster the kubernetes build and deploy executors use for this environment. */
    kubernetes: kubernetesSchema(paths).optional(),
  });
}

export const DEFAULT_ENVIRONMENTS = {
  staging: { auto: true, approval: false },
  production: { auto: false, approval: true },
};

/** Relative paths (kubeconfig) resolve against `baseDir`, the config file's directory. */
export function environmentsSchema(paths: { baseDir: string }) {
  return z.record(z.string().regex(NAME_PATTERN, NAME_RULE), environmentSchema(paths)).superRefine((environments, ctx) => {
    for (const [name, env] of Object.entries(environments)) {
      if (env.auto && env.approval) {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'approval'],
          message: 'approval: true cannot go with auto: true (cycles for changes would deploy here without anyone approving): set auto: false to promote releases here, or approval: false',
        });
      }
      if (env.approval && !environments[env.from] && Object.values(environments).some((e) => e.auto)) {
        ctx.addIssue({ code: 'custom', path: [name, 'from'], message: `no environment "${env.from}" to promote releases from: name one of ${Object.keys(environments).join(', ')}` });
      }
    }
    if (!Object.values(environments).some((e) => e.auto)) {
      ctx.addIssue({
        code: 'custom',
        message: 'no environment has auto: true, so Stagecraft would never run a cycle on its own: set auto: true on one (usually staging)',
      });
    }
  });
}
