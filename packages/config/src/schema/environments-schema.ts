import { resolve } from 'node:path';
import { z } from 'zod';

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
    /** A maintainer's approval is needed before a cycle deploys here. */
    approval: z.boolean().default(false),
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
    if (!Object.values(environments).some((e) => e.auto)) {
      ctx.addIssue({
        code: 'custom',
        message: 'no environment has auto: true, so Stagecraft would never run a cycle on its own: set auto: true on one (usually staging)',
      });
    }
  });
}
