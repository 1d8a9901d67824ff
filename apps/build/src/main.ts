import { startStageApp } from '@stagecraft/engine';
import { kubernetesBuildExecutorFactory } from '@stagecraft/k8s';

// stages.build.executor: local (a command) or kubernetes (a Job per component).
await startStageApp('build', kubernetesBuildExecutorFactory);
