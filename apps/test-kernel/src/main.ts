import { startStageApp } from '@stagecraft/engine';

await startStageApp('test-kernel');
