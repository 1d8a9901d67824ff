/** The stages of a cycle, in the order a cycle runs them. */
export const STAGE_NAMES = ['compose', 'build', 'drain', 'deploy', 'test-kernel'] as const;
export type StageName = (typeof STAGE_NAMES)[number];
