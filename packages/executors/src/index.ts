export * from './stage-context.js';
export * from './stage-env.js';
export * from './run-local-command.js';
export * from './inherited-env.js';
export * from './errors/invalid-command-options-error.js';
export * from './abortable-sleep.js';
