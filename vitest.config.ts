import { defineConfig } from 'vitest/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'functions/**/*.test.ts', 'scripts/**/*.test.ts'],
          setupFiles: ['tests/setup-unit.ts'],
        },
      },
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          // Info and warn lines (one per match, per sweep run) would bury the report; errors still print.
          env: { HARBOR_QUIET: '1' },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One DynamoDB Local on a 2-core machine: files run one at a time so figures and
          // concurrency tests are not skewed by each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
