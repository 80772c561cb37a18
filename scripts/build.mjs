// Bundles the client and the server with esbuild and puts the parser's wasm files next to the server.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from './bundleOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
const production = process.argv.includes('--production');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(dist, { recursive: true });

const common = {
  ...nodeBundle,
  sourcemap: production ? false : 'linked',
  minify: production,
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'client/src/extension.ts')],
    outfile: join(dist, 'extension.js'),
    external: ['vscode'],
  }),
  // Index builds run in a child process, so the server never holds a whole package set.
  build({
    ...common,
    entryPoints: [join(root, 'server/src/knowledge/indexBuildMain.ts')],
    outfile: join(dist, 'indexBuilder.js'),
  }),
  // The workspace index parses the workspace's files in a worker thread, off the server's event loop.
  build({
    ...common,
    entryPoints: [join(root, 'server/src/workspace/extractionWorkerMain.ts')],
    outfile: join(dist, 'workspaceIndexWorker.js'),
  }),
  // Ends the server's Nix processes should the server be killed (SIGKILL runs no exit code).
  build({
    ...common,
    entryPoints: [join(root, 'server/src/nix/guardianMain.ts')],
    outfile: join(dist, 'processGuardian.js'),
  }),
  build({
    ...common,
    entryPoints: [join(root, 'server/src/main.ts')],
    outfile: join(dist, 'server.js'),
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
    define: { ...common.define, NIX_NUR_VERSION: JSON.stringify(version) },
  }),
]);

// web-tree-sitter's runtime and the Nix grammar are loaded from the directory of dist/server.js.
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
copyFileSync(require.resolve('@cursorless/tree-sitter-wasms/out/tree-sitter-nix.wasm'), join(dist, 'tree-sitter-nix.wasm'));
// The bin entry runs dist/server.js directly.
chmodSync(join(dist, 'server.js'), 0o755);
