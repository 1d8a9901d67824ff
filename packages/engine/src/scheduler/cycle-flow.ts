import type { FlowJob, FlowChildJob } from './flow-types.js';
import { queueCatalog, type StageJob, type StageName } from '@stagecraft/queue';
import type { CycleRecord } from '../store/cycle-record.js';
import { stagesOfCycle } from '../store/cycle-stages.js';

export function stageJobId(cycleId: string, stage: StageName): string {
  return `${cycleId}.${stage}`;
}

/**
 * A cycle is one BullMQ flow: the `cycles` job is the root and each stage is the child of the
 * next, so compose (the deepest) runs first and the root runs once everything below it is done.
 * ignoreDependencyOnFailure: a stage that crashed past its attempts must not strand the cycle; the
 * next stage sees the missing result and records why it was skipped.
 */
export function cycleFlow(record: CycleRecord): FlowJob {
  const stages = stagesOfCycle(record);
  let child: FlowChildJob | undefined;
  for (const stage of stages) {
    const data: StageJob = {
      env: record.env,
      cycleId: record.id,
      stage,
      kind: record.kind,
      components: record.components,
      rebuild: record.rebuild,
      mainSha: record.mainSha,
      prs: record.prs,
    };
    const queueName = `stage-${stage}` as const;
    const node: FlowChildJob = {
      name: stage,
      queueName,
      data,
      opts: { ...queueCatalog[queueName].defaults, jobId: stageJobId(record.id, stage), ignoreDependencyOnFailure: true },
      ...(child ? { children: [child] } : {}),
    };
    child = node;
  }
  return {
    name: 'cycle',
    queueName: 'cycles',
    data: { env: record.env, cycleId: record.id },
    opts: { ...queueCatalog.cycles.defaults, jobId: record.id },
    ...(child ? { children: [child] } : {}),
  };
}
