export * from './types.js';
export * from './decide.js';
export * from './initial-env-state.js';
export * from './components-for-paths.js';
export * from './resolve-component-set.js';
export * from './union-components.js';
export * from './format-duration.js';
