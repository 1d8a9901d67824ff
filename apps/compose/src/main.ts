import { startStageApp } from '@stagecraft/engine';
import { localExecutor } from '@stagecraft/executors';
import { githubComposeExecutor } from '@stagecraft/github';

// stages.compose.executor: local (a command) or github (merges through the GitHub API).
await startStageApp('compose', [localExecutor, githubComposeExecutor]);
