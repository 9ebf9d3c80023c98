// Bundles the CLI and the extension with esbuild. Usage: node scripts/build.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  define: { NBCHECK_VERSION: JSON.stringify(pkg.version) },
  // The native binding is loaded from node_modules at run time.
  external: ['onnxruntime-node', 'web-tree-sitter'],
};

// The Python parser's wasm files sit beside the bundles, where src/core/python/parser.ts looks first.
const require = createRequire(import.meta.url);
mkdirSync('dist', { recursive: true });
for (const file of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(require.resolve(file), join('dist', file.split('/')[1]));
}

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'onnxruntime-node', 'web-tree-sitter'] }),
]);
