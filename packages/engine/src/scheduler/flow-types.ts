import type { FlowJob as BullFlowJob } from 'bullmq';

export type FlowJob = BullFlowJob;
export type FlowChildJob = NonNullable<Extract<BullFlowJob, { children: unknown }>['children']>[number];
