import { startStageApp } from '@stagecraft/engine';
import { localExecutor } from '@stagecraft/executors';
import { kubernetesExecutor } from '@stagecraft/k8s';

// stages.build.executor: local (a command) or kubernetes (a Job per component).
await startStageApp('build', [localExecutor, kubernetesExecutor]);
