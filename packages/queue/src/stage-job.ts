import { z } from 'zod';
import { STAGE_NAMES } from './stage-names.js';

export const stageJobSchema = z.object({
  env: z.string(),
  cycleId: z.string(),
  stage: z.enum(STAGE_NAMES),
  kind: z.enum(['full', 'partial']),
  components: z.array(z.string()),
  rebuild: z.array(z.string()),
  mainSha: z.string().nullable(),
  // repo is absent on jobs queued before several repositories were supported.
  prs: z.array(z.object({ repo: z.string().optional(), number: z.number().int(), sha: z.string() })),
});
export type StageJob = z.infer<typeof stageJobSchema>;
