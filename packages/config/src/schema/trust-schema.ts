import { z } from 'zod';

const login = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, 'expected a GitHub login like "alice" or a team like "org/team"');

export const trustSchema = z.strictObject({
  maintainers: z.array(login).default([]),
  trusted: z.array(login).default([]),
  approvers: z.array(login).default([]),
});
