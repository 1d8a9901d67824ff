// `@stagecraft/engine/testing`: the engine on real Redis for tests (re-exported by @stagecraft/testing).
export * from './engine-harness.js';
export * from './events.js';
export * from './gated-executor.js';
export * from './redis-cluster.js';
