#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/bundle/kordon.cjs) and the YAML thread's module
// beside it, so a run loads one file instead of ~300 ES modules; bin/kordon loads the bundle
// with a V8 code cache (ADR 0009). The library (dist/index.js) stays the tsc output.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// The CEL engine (an ES module package) initialises its function registry when loaded: a few
// milliseconds of every start, though only custom controls, `kordon vap` and the input's own
// admission policies evaluate CEL. kordon's imports of it get an object whose getters load the
// package on first use; esbuild keeps the package's own module body lazy behind that require().
const LAZY_PACKAGES = { '@marcbachmann/cel-js': ['Environment', 'Optional'], '@marcbachmann/cel-js/evaluator': ['UnsignedInt', 'Duration'] };
// a name imported from a lazy package but missing from its list would be undefined at run time
for (const file of readdirSync(path.join(root, 'src'), { recursive: true })) {
  if (!String(file).endsWith('.ts')) continue;
  const text = readFileSync(path.join(root, 'src', String(file)), 'utf8');
  for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'|export\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    const [names, spec] = m[2] ? [m[1], m[2]] : [m[3], m[4]];
    if (!(spec in LAZY_PACKAGES) || /^import\s*type/.test(m[0])) continue;
    for (const raw of names.split(',')) {
      const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      if (name && !raw.trim().startsWith('type ') && !LAZY_PACKAGES[spec].includes(name)) throw new Error(`bundle: src/${file} imports ${name} from ${spec}: add it to LAZY_PACKAGES in scripts/bundle.mjs`);
    }
  }
}
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-package' ? undefined : /[\\/]src[\\/]/.test(args.importer) ? { path: args.path, namespace: 'lazy-package' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      contents: [
        'let m;',
        `const load = () => (m ??= require(${JSON.stringify(args.path)}));`,
        `module.exports = { ${LAZY_PACKAGES[args.path].map((n) => `get ${n}() { return load().${n}; }`).join(', ')} };`,
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
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
  // (made when first read: node:url is not loaded by a run that never asks)
  define: { 'import.meta.url': '__kordon_import_meta.url' },
  banner: {
    js: [
      'const __kordon_import_meta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
      // import() of an external package goes through bin/load-bundle.cjs when it loaded the
      // bundle: V8 loses a code-cached script's import() host options (ADR 0009)
      'const __kordon_import = globalThis[Symbol.for("kordon.import")] || ((s) => import(s));',
    ].join('\n'),
  },
  plugins: [lazyChildProcess, lazyPackages],
  legalComments: 'none',
  charset: 'ascii',
  // less text to read and keep, a smaller code cache: about 5 ms of a one-object scan
  // (BENCHMARKS.md, session 8). Names stay: messages and the JSON thread's source
  // (src/sources/manifests/json-structure.ts) are made from functions' own text.
  minifyWhitespace: process.env.KORDON_BUNDLE_READABLE !== '1',
  minifySyntax: process.env.KORDON_BUNDLE_READABLE !== '1',
  logLevel: 'warning',
  absWorkingDir: root,
};

export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
export const BUNDLE_TAIL = '\n});';
/**
 * Builds one CLI bundle: the file is the module's function itself (see below). `kordon` has every
 * command; `kordon-scan` has `scan` alone, so that a scan, the command most runs are, neither reads
 * nor runs the other commands' code at start-up (about 4% of a one-object scan's instructions:
 * BENCHMARKS.md, session 9). bin/load-bundle.cjs picks the bundle by the command.
 */
async function cliBundle(name, entry) {
  await build({ ...common, entryPoints: { [name]: entry }, outdir, outExtension: { '.js': '.cjs' } });
  const file = path.join(outdir, `${name}.cjs`);
  let dynamicImports = 0;
  const text = readFileSync(file, 'utf8').replace(/\bimport\("(@kubernetes\/client-node|zod|yaml)"\)/g, (_m, spec) => {
    dynamicImports++;
    return `__kordon_import(${JSON.stringify(spec)})`;
  });
  if (dynamicImports === 0) throw new Error(`bundle: no import() of an external package found in ${name}; check scripts/bundle.mjs`);
  // bin/load-bundle.cjs reads the bundle as one-byte text: charset 'ascii' above escapes strings,
  // and what esbuild leaves (regular expression literals, comments) is escaped here, code unit by
  // code unit (the same meaning in a regular expression with or without the u flag; kordon has no
  // String.raw text outside ASCII, which an escape would change)
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // The file is the module's function (as Node's CommonJS loader would wrap it): bin/load-bundle.cjs
  // compiles the text as read, without making a wrapped copy of 2 MB (page faults are a good part of
  // a one-object scan's cost on a virtual machine). It is not meant to be `require`d.
  writeFileSync(file, `${BUNDLE_HEAD}${ascii}${BUNDLE_TAIL}`);
}
await cliBundle('kordon', 'src/cli/main.ts');
await cliBundle('kordon-scan', 'src/cli/main-scan.ts');
await build({ ...common, entryPoints: { 'yaml-pool-worker': 'src/sources/manifests/yaml-pool-worker.ts' }, outdir });
