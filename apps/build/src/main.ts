import { startStageApp } from '@stagecraft/engine';

await startStageApp('build');
