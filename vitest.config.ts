import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit tests run first, then integration tests.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file talks to real JVMs on a 2-core machine: two files at a time is plenty.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'chaos',
          // The short chaos run (test/chaos): after everything else, alone on the machine.
          include: ['test/chaos/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 300_000,
        },
      },
    ],
  },
});
