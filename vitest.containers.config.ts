import { defineConfig } from 'vitest/config';

// The harness's own tests on the container source (`npm run test:containers`): they need a Docker
// engine and a ZooKeeper image, so they run apart from `npm test`, which uses local jars.
export default defineConfig({
  test: {
    name: 'containers',
    include: ['test/containers/**/*.test.ts'],
    env: { RXZK_TESTCONTAINERS: '1' },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Every container copies the image on some storage drivers: one file at a time.
    fileParallelism: false,
  },
});
