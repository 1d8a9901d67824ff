import { startStageApp } from '@stagecraft/engine';
import { localExecutor } from '@stagecraft/executors';
import { httpExecutor } from '@stagecraft/http-stages';

// stages.testKernel.executor: local (a command) or http (submissions to the deployed API).
await startStageApp('test-kernel', [localExecutor, httpExecutor]);
