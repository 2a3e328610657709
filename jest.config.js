/**
 * Three projects: every test on the cdktf line (servers on SQLite); the server's contract suites again
 * with every server on PostgreSQL (`postgres`); and the construct suites again on the cdktn line (CDK
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
      // The server's contract suites again, every server on a fresh database of one PostgreSQL cluster
      // per test file (test/support/server.ts reads KEYFORM_TEST_STORE).
      displayName: 'postgres',
      globals: { KEYFORM_CDK_LINE: 'cdktf', KEYFORM_TEST_STORE: 'postgres' },
      roots: ['<rootDir>/test/server', '<rootDir>/test/security', '<rootDir>/test/client'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        // SQLite only: they write an older SQLite store, or read and edit the SQLite file or data directory.
        '/test/server/(grant-origin-migration|merchant-migration|durability|usage)\\.test\\.ts$',
        '/test/security/data-dir\\.test\\.ts$',
        '/test/client/client-credentials\\.test\\.ts$',
        // Needs two platform admin clients in one store, which a shared database refuses by design
        // (test/server/multi-instance.test.ts covers revoke and renew across instances).
        '/test/server/token-lifecycle\\.test\\.ts$',
        // No store involved: pure functions, or Terraform's output (the store changes nothing in it).
        '/test/server/(units|privilege-rules)\\.test\\.ts$',
        '/test/security/secret-hygiene\\.test\\.ts$',
        '/test/client/(client-config|errors|malformed-response|retry-policy|route-table|token-cache)\\.test\\.ts$',
        // Bound by the client's retry budget (about 8 s) against a server start; a PostgreSQL start on a
        // loaded 2-core machine can exceed it. Kill -9 and restart over PostgreSQL are tested without a
        // time bound in test/server/multi-instance.test.ts.
        '/test/client/server-restart\\.test\\.ts$',
        // Already PostgreSQL-only, run by the cdktf project.
        '/test/server/(multi-instance|health)\\.test\\.ts$',
      ],
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
