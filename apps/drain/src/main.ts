import { startStageApp } from '@stagecraft/engine';
import { httpDrainExecutorFactory } from '@stagecraft/http-stages';

// stages.drain.executor: local (a command) or http (pause the deployed API, wait for its queue to empty).
await startStageApp('drain', httpDrainExecutorFactory);
