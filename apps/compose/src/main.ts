import { startStageApp } from '@stagecraft/engine';
import { composeExecutorFactory } from './compose-executor-factory.js';

await startStageApp('compose', composeExecutorFactory);
