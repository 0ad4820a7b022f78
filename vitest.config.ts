import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: integration tests start servers and worker processes; keep parallelism modest.
    maxWorkers: 2,
    pool: 'forks',
  },
});
