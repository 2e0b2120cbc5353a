#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/bundle/kordon.cjs) and the YAML thread's module
// beside it, so a run loads one file instead of ~300 ES modules; bin/kordon loads the bundle
// with a V8 code cache (ADR 0009). The library (dist/index.js) stays the tsc output.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outdir = path.join(root, 'dist', 'bundle');
mkdirSync(outdir, { recursive: true });
// .js files in this folder are CommonJS (the package itself is "type": "module")
writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');

// commander requires child_process at load for executable subcommands, which kordon has none
// of; loading it (and net, dgram, stream behind it) costs milliseconds on every run. Its
// require() gets an object that loads the module on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_t, k) => process.getBuiltinModule("node:child_process")[k] });',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // loaded only when a command needs them: the cluster client (--cluster), zod and the
  // second YAML library (exceptions and config files); they stay in node_modules
  external: ['@kubernetes/client-node', 'zod', 'yaml'],
  // modules that find a sibling file through import.meta.url get the bundle's own URL
  define: { 'import.meta.url': '__kordon_import_meta_url' },
  banner: {
    js: [
      'const __kordon_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
      // import() of an external package goes through bin/load-bundle.cjs when it loaded the
      // bundle: V8 loses a code-cached script's import() host options (ADR 0009)
      'const __kordon_import = globalThis[Symbol.for("kordon.import")] || ((s) => import(s));',
    ].join('\n'),
  },
  plugins: [lazyChildProcess],
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({ ...common, entryPoints: { kordon: 'src/cli/main.ts' }, outdir, outExtension: { '.js': '.cjs' } });
const file = path.join(outdir, 'kordon.cjs');
let dynamicImports = 0;
const text = readFileSync(file, 'utf8').replace(/\bimport\("(@kubernetes\/client-node|zod|yaml)"\)/g, (_m, spec) => {
  dynamicImports++;
  return `__kordon_import(${JSON.stringify(spec)})`;
});
if (dynamicImports === 0) throw new Error('bundle: no import() of an external package found; check scripts/bundle.mjs');
writeFileSync(file, text);
await build({ ...common, entryPoints: { 'yaml-pool-worker': 'src/sources/manifests/yaml-pool-worker.ts' }, outdir });
