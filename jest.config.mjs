// One Jest for the whole monorepo, in native ESM mode: @octokit/* are ESM-only.
// Three projects = the three test layers: unit (beside the code, no I/O),
// integration (*.int.test.ts, real Redis), e2e (test/e2e, built apps as processes).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@stagecraft/engine/testing$': '<rootDir>/packages/engine/src/testing/index.ts',
    '^@stagecraft/(policy|config|queue|telemetry|executors|webhooks|github|engine|k8s|http-stages|testing|launcher)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  // Integration tests start local servers (the fake GitHub signs with RSA keys) next to real Redis;
  // on a loaded 2-core machine Jest's 5 s default cuts them off while they are merely slow.
  testTimeout: 20_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,packages}/*/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'integration',
      // test/deploy renders the Kubernetes manifests (files, kubectl when installed) and does the image's
      // production install; test/scripts runs the repository's scripts; test/kit is docs/testing.md's example: not pure, so here.
      testMatch: ['<rootDir>/{apps,packages}/*/src/**/*.int.test.ts', '<rootDir>/test/deploy/**/*.test.ts', '<rootDir>/test/scripts/**/*.test.ts', '<rootDir>/test/kit/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
