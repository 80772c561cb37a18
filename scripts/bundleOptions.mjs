// esbuild options shared by every Node bundle the project makes (extension, server, benchmarks).
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  // Some dependencies ship only ESM that locates files through import.meta.url; in a CommonJS
  // bundle that is the bundle's own file.
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
};
