// Bundles the CLI and the extension with esbuild. Usage: node scripts/build.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
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

// The exam panel's webview: its script (web components and KaTeX bundled in), its CSS, KaTeX's CSS and fonts.
mkdirSync('dist/webview/katex/fonts', { recursive: true });
copyFileSync('webview/src/panel.css', 'dist/webview/panel.css');
const katexDist = join(require.resolve('katex/package.json'), '..', 'dist');
copyFileSync(join(katexDist, 'katex.min.css'), 'dist/webview/katex/katex.min.css');
for (const f of readdirSync(join(katexDist, 'fonts'))) if (f.endsWith('.woff2')) copyFileSync(join(katexDist, 'fonts', f), join('dist/webview/katex/fonts', f));

await Promise.all([
  build({ bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', minify: true, sourcemap: true, logLevel: 'warning', entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview/panel.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'onnxruntime-node', 'web-tree-sitter'] }),
  // The core, for the extension to load when first used (src/extension/lazy.ts): the static checks on the
  // first check, the exercise runner on the first run. Activation loads neither.
  build({ ...common, entryPoints: ['src/core/static.ts'], outfile: 'dist/core.js' }),
  build({ ...common, entryPoints: ['src/core/runner.ts'], outfile: 'dist/runner.js' }),
  // The worker process that runs student code (src/core/worker/pool.ts starts it beside the bundle that uses it).
  build({ ...common, entryPoints: ['src/core/worker/main.ts'], outfile: 'dist/worker.js' }),
]);
