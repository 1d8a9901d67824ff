export * from './create-logger.js';
export * from './create-metrics.js';
export * from './health-routes.js';
export * from './redis-readiness.js';
export * from './start-http-server.js';
export * from './install-shutdown.js';
