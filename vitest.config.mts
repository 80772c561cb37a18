import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.git/**', 'test/e2e/**'],
    // The LSP, Neovim, Nix and editor tests spawn real processes; two cores are shared by them all.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
