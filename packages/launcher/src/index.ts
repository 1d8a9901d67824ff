// The launcher: every Stagecraft app as a supervised child process with one log stream, the way
// `stagecraft start` runs them; the end-to-end tests start the stack with it too.
export * from './app-names.js';
export * from './launch-stack.js';
export * from './supervisor.js';
export * from './wait-for-healthy.js';
export * from './merged-log.js';
export * from './format-log-line.js';
export * from './ensure-redis.js';
export * from './ping-redis.js';
export * from './find-executable.js';
export * from './free-port.js';
export * from './port-in-use.js';
export * from './stop-child.js';
export * from './local-secrets.js';
export * from './resolve-config-path.js';
export * from './errors/launch-failure.js';
export * from './errors/redis-unavailable-error.js';
