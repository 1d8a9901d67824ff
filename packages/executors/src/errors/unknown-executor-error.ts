import type { StageName } from '@stagecraft/queue';

export class UnknownExecutorError extends Error {
  constructor(stage: StageName, kind: string, known: string[]) {
    super(
      `stages.${stage === 'test-kernel' ? 'testKernel' : stage}.executor is "${kind}", which this ${stage} worker cannot run: ` +
        `it runs ${known.map((k) => `"${k}"`).join(' or ')}; change the config or run a worker built with that executor`,
    );
    this.name = 'UnknownExecutorError';
  }
}
