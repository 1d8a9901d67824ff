import { startStageApp } from '@stagecraft/engine';
import { httpTestKernelExecutorFactory } from '@stagecraft/http-stages';

// stages.testKernel.executor: local (a command) or http (submit tests to the deployed API, collect results).
await startStageApp('test-kernel', httpTestKernelExecutorFactory);
