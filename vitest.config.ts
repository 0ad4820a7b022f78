import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Scale tests (*.slow.test.ts) run in `npm run test:slow` (vitest.slow.config.ts), so that `npm test`
    // stays within a few minutes on a 2-core machine.
    exclude: [...configDefaults.exclude, 'test/**/*.slow.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Generous: a deadline only matters when something is broken, and a busy machine is slow, not broken.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // Two cores: integration tests start servers and worker processes; keep parallelism modest.
    maxWorkers: 2,
    pool: 'forks',
  },
});
