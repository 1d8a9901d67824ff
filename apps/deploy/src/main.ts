import { startStageApp } from '@stagecraft/engine';
import { kubernetesDeployExecutorFactory } from '@stagecraft/k8s';
import { withDrainResume } from '@stagecraft/http-stages';

// stages.deploy.executor: local (a command) or kubernetes (Deployments through the API).
// With stages.drain.executor: http, deploy resumes the drained API once it finished (see ResumeAfterDeployExecutor).
await startStageApp('deploy', withDrainResume(kubernetesDeployExecutorFactory));
