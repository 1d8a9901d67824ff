export * from './create-logger.js';
export * from './create-metrics.js';
export * from './health-routes.js';
export * from './redis-readiness.js';
export * from './start-http-server.js';
export * from './run-shutdown-steps.js';
export * from './install-shutdown.js';
export * from './errors/metric-definition-conflict-error.js';
