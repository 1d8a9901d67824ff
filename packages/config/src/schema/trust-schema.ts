import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

const login = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, 'expected a GitHub login like "alice" or a team like "org/team"');

export const trustSchema = z.strictObject({
  /** Logins and "org/team" entries whose commands run (deploy, trigger) and whose approval counts. */
  maintainers: z.array(login).default([]),
  /** Logins and teams whose PRs go to staging without a maintainer's deploy. */
  trusted: z.array(login).default([]),
  /** Logins and "org/team" entries who approve promotions to an environment with approval: true. */
  approvers: z.array(login).default([]),
  /** Logins and teams who may deploy a promotion inside a deny window (with a reason, audited). */
  admins: z.array(login).default([]),
  /** Collaborators with one of these repository permissions are maintainers too (asked through the GitHub App). */
  maintainerPermissions: z.array(z.enum(['admin', 'maintain', 'write'], { error: 'expected "admin", "maintain" or "write"' })).default(['admin', 'maintain']),
  /** Members of the repository owner's organisation are trusted authors. */
  orgMembersTrusted: z.boolean().default(false),
  /** How long GitHub's answer about a login's team or permission is believed. */
  roleCacheTtl: durationSchema({ positive: true }).prefault('10m'),
});
