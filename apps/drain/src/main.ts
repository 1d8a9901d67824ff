import { startStageApp } from '@stagecraft/engine';
import { localExecutor } from '@stagecraft/executors';
import { httpExecutor } from '@stagecraft/http-stages';

// stages.drain.executor: local (a command) or http (pause the deployed API, wait for its queue).
await startStageApp('drain', [localExecutor, httpExecutor]);
