import { startStageApp } from '@stagecraft/engine';
import { kubernetesDeployExecutorFactory } from '@stagecraft/k8s';

// stages.deploy.executor: local (a command) or kubernetes (Deployments through the API).
await startStageApp('deploy', kubernetesDeployExecutorFactory);
