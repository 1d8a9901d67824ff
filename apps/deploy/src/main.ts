import { startStageApp } from '@stagecraft/engine';

await startStageApp('deploy');
