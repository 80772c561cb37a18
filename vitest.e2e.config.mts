import { defineConfig } from 'vitest/config';

// The end-to-end tests: a real VS Code (code-server) driven in headless Chromium. One session at a
// time, steps in order; the global setup packages the extension and makes sure code-server is there.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    // Installing code-server on a fresh machine takes minutes; a step waits on Nix and on indexes.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    // A step depends on the ones before it (same editor, same workspace): stop at the first failure.
    bail: 1,
  },
});
