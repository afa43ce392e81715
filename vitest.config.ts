import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // end-to-end tests spawn ExifTool and worker pools; two cores do not gain from more forks
    maxWorkers: 2,
  },
});
