// Loads the bundled CLI (dist/bundle/kordon.cjs, or kordon-scan.cjs for `kordon scan`; see scripts/bundle.mjs) with a V8 code cache,
// so later runs skip parsing and compiling it (ADR 0009). The cache lives in
// $KORDON_CACHE_DIR/v8 (default ~/.cache/kordon/v8), keyed by the bundle's size and time and
// the Node.js version; a cache that cannot be read or written only costs speed.
'use strict';
// node:module and node:os are not loaded: a few hundred microseconds of every start
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundles = path.join(__dirname, '..', 'dist', 'bundle');

/**
 * The bundle for this command line: `scan` has its own, without the other commands' code
 * (scripts/bundle.mjs); everything else runs the whole CLI's.
 */
function bundleName(argv) {
  return argv[0] === 'scan' ? 'kordon-scan' : 'kordon';
}

function cacheDir() {
  const home = process.env.HOME || process.env.USERPROFILE || process.getBuiltinModule('node:os').homedir();
  const base = process.env.KORDON_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'kordon');
  return path.join(base, 'v8');
}

/**
 * The cache holds what the run that wrote it compiled: one per command, so that a scan is not left
 * with the functions `--help` compiled (then compiled again on every run), nor `--help` with a
 * scan's. A one-object scan runs about 10% fewer instructions with a scan's cache than with one
 * written at start-up (BENCHMARKS.md, session 8). Keep in step with src/cli/main.ts COMMANDS
 * (test/e2e/bundle.test.ts checks it).
 */
const COMMANDS = ['scan', 'controls', 'snapshot', 'netpol', 'pss', 'rbac', 'paths', 'plan', 'assess', 'audit', 'harden', 'admission', 'webhook', 'vap', 'node', 'probe', 'vulns'];

/** The name of the cache this command line uses: its command's, or the one for everything else. */
function cacheName(argv) {
  return COMMANDS.includes(argv[0]) ? argv[0] : 'cli';
}

/** The bundled CLI's exports, or undefined when there is no bundle (run from a tsc build only). */
function load(argv = process.argv.slice(2)) {
  const name = bundleName(argv);
  const bundle = path.join(bundles, `${name}.cjs`);
  let source;
  let stat;
  try {
    stat = fs.statSync(bundle);
    // the bundle is ASCII (scripts/bundle.mjs checks it): read as one-byte text, no UTF-8 decoding
    source = fs.readFileSync(bundle, 'latin1');
  } catch {
    return undefined;
  }
  // V8 itself rejects a cache made for other source text or flags; the key only keeps builds apart
  const key = `${process.version}-${process.arch}-${stat.size}-${Math.round(stat.mtimeMs)}`;
  const buildPrefix = `${name}-${key}-`;
  const cacheFile = path.join(cacheDir(), `${buildPrefix}${cacheName(argv)}.bin`);
  let cachedData;
  if (process.env.KORDON_NO_CODE_CACHE !== '1') {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // the bundle's import() of packages (the cluster client) runs from here (scripts/bundle.mjs)
  globalThis[Symbol.for('kordon.import')] = (specifier) => import(specifier);
  // the file is already the module's function (scripts/bundle.mjs): compiled as read, no wrapped copy
  if (!source.startsWith('(function (exports, require, module, __filename, __dirname) { ')) return undefined;
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
  // this file's require: the bundle needs Node's built-ins and the packages kept outside it,
  // found from bin/ as from dist/bundle/ (the same node_modules above both)
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, path.dirname(bundle));
  const needsCache = process.env.KORDON_NO_CODE_CACHE !== '1' && (cachedData === undefined || script.cachedDataRejected === true);
  /** Writes the cache after the run, so it holds the functions the run compiled too. */
  const saveCache = () => {
    if (!needsCache) return;
    try {
      const data = script.createCachedData();
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, cacheFile);
      // caches of other builds and Node versions are never read again: this build's stay, not one set per upgrade
      for (const f of fs.readdirSync(path.dirname(cacheFile))) {
        if (f.startsWith(`${name}-v`) && f.endsWith('.bin') && !f.startsWith(buildPrefix)) fs.rmSync(path.join(path.dirname(cacheFile), f), { force: true });
      }
    } catch {
      // a read-only home or a full disk: the next run compiles again
    }
  };
  return { main: mod.exports.main, saveCache };
}

module.exports = { load, COMMANDS, bundleName };
