import { startStageApp } from '@stagecraft/engine';
import { localExecutor } from '@stagecraft/executors';
import { httpExecutor } from '@stagecraft/http-stages';
import { kubernetesExecutor } from '@stagecraft/k8s';

// stages.deploy.executor: local (a command) or kubernetes (Deployments through the API). httpExecutor
// is here for what it leaves to deploy: with stages.drain.executor: http, the drained API is resumed
// once deploy finished (see ResumeAfterDeployExecutor).
await startStageApp('deploy', [localExecutor, kubernetesExecutor, httpExecutor]);
