/**
 * Two projects: every test on the cdktf line, and the construct suites again on the cdktn line (CDK
 * Terrain). The cdktn project compiles the same construct sources with the framework import mapped to
 * `cdktn`, exactly what `npm run build` does for `keyform/cdktn`, and shares the snapshot files: a
 * synthesized stack that differs between the lines fails the snapshot.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // Acceptance tests start servers and Terraform: two workers on a two-core machine.
  maxWorkers: 2,
  projects: [
    {
      ...base,
      displayName: 'cdktf',
      globals: { KEYFORM_CDK_LINE: 'cdktf' },
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      // What only CDK Terrain has (src/cdktn) is tested on that line alone.
      testPathIgnorePatterns: ['/node_modules/', '\\.cdktn\\.test\\.ts$'],
    },
    {
      ...base,
      displayName: 'cdktn',
      globals: { KEYFORM_CDK_LINE: 'cdktn' },
      roots: ['<rootDir>/test/constructs'],
      testMatch: ['**/{cdk-line,synth,validation,credential-policy,provider-compatibility}.test.ts', '**/*.cdktn.test.ts'],
      moduleNameMapper: { '^cdktf$': 'cdktn' },
    },
  ],
};
