export * from './promotion-types.js';
export * from './release-eligibility.js';
export * from './approve-promotion.js';
export * from './request-promotion.js';
export * from './close-promotion.js';
export * from './deny-windows.js';
