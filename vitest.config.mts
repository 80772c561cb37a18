import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The LSP, Neovim, Nix and editor tests spawn real processes; two cores are shared by them all.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
