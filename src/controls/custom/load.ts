/**
 * Loading custom controls: YAML+CEL definitions (from `--controls-dir`, the config file's
 * `controlsDirs` and its inline `customControls`) and TypeScript/JavaScript plugin modules
 * (`plugins`, or `.js`/`.mjs` files in a controls directory) exporting controls made with
 * `defineControl`. Every problem is collected and reported at once; none is fatal alone.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { customControl, formatLoadProblem, parseCustomControls, type CustomControlSpec, type LoadProblem } from './definition.js';
import { LAYERS, SEVERITIES, type Control } from '../../engine/types.js';

export interface CustomControlSources {
  /** Directories of `.yaml`/`.yml` definitions and `.js`/`.mjs` plugin modules. */
  dirs?: readonly string[];
  /** Definitions already parsed and checked (the config file's `customControls`). */
  specs?: ReadonlyArray<{ spec: CustomControlSpec; file: string; line: number }>;
  /** Plugin modules. */
  plugins?: readonly string[];
}

export interface LoadedCustomControls {
  controls: Control[];
  problems: LoadProblem[];
}

const YAML_EXT = /\.ya?ml$/i;
const PLUGIN_EXT = /\.(m?js|cjs)$/i;

async function filesOf(dir: string, problems: LoadProblem[]): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ file: dir, message: `cannot read the controls directory (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesOf(p, problems)));
    else if (YAML_EXT.test(e.name) || PLUGIN_EXT.test(e.name)) out.push(p);
  }
  return out;
}

/** The problems of a plugin control's metadata (the documented API: defineControl's). */
export function checkPluginControl(c: unknown): string[] {
  const errs: string[] = [];
  if (!c || typeof c !== 'object') return ['not a control object'];
  const o = c as Record<string, unknown>;
  for (const k of ['id', 'name', 'title', 'description', 'remediation']) if (typeof o[k] !== 'string' || o[k] === '') errs.push(`${k} must be a non-empty string`);
  if (typeof o['id'] === 'string' && o['id'].startsWith('KOR-')) errs.push('KOR- ids belong to the built-in controls; use your own prefix');
  if (typeof o['remediation'] === 'string' && !o['remediation'].trim().endsWith('.')) errs.push('remediation must end with a period');
  if (!(LAYERS as readonly unknown[]).includes(o['layer'])) errs.push(`layer must be one of ${LAYERS.join(', ')}`);
  if (!(SEVERITIES as readonly unknown[]).includes(o['severity'])) errs.push(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (!['container', 'podSpec', 'object', 'inventory'].includes(String(o['targets']))) errs.push('targets must be container, podSpec, object or inventory');
  if ((o['targets'] === 'object' || o['targets'] === 'inventory') && (!Array.isArray(o['kinds']) || o['kinds'].length === 0)) errs.push('kinds must list the kinds the control judges');
  if (typeof o['check'] !== 'function') errs.push('check must be a function');
  if (!o['messages'] || typeof o['messages'] !== 'object') errs.push('messages must map message ids to texts');
  if (!Array.isArray(o['phases'])) errs.push('phases must be a list');
  if (!['low', 'medium', 'high'].includes(String(o['effort']))) errs.push('effort must be low, medium or high');
  if (!o['frameworks'] || typeof o['frameworks'] !== 'object') errs.push('frameworks must be an object ({} for none)');
  return errs;
}

async function loadPlugin(file: string, problems: LoadProblem[]): Promise<Control[]> {
  if (/\.(m?ts|cts)$/i.test(file)) {
    problems.push({ file, message: 'TypeScript plugins are loaded compiled: build it to JavaScript (tsc or esbuild) and name the .js file' });
    return [];
  }
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(path.resolve(file)).href;
    // the bundled CLI imports through its loader (bin/load-bundle.cjs: a code-cached script has no import() of its own)
    const viaLoader = (globalThis as Record<symbol, unknown>)[Symbol.for('kordon.import')] as ((s: string) => Promise<unknown>) | undefined;
    mod = (await (viaLoader ? viaLoader(url) : import(url))) as Record<string, unknown>;
  } catch (err) {
    problems.push({ file, message: `cannot load the plugin module: ${(err as Error).message?.split('\n')[0] ?? 'error'}` });
    return [];
  }
  const exported = mod['default'] ?? mod['controls'];
  const list = Array.isArray(exported) ? exported : exported ? [exported] : [];
  if (list.length === 0) problems.push({ file, message: 'the plugin exports no controls (export default a control made with defineControl, or a list of them)' });
  const out: Control[] = [];
  list.forEach((c, i) => {
    const errs = checkPluginControl(c);
    const who = `plugin control ${typeof (c as { id?: unknown })?.id === 'string' ? (c as { id: string }).id : `#${i}`}`;
    if (errs.length) for (const e of errs) problems.push({ file, message: `${who}: ${e}` });
    else out.push(c as Control);
  });
  return out;
}

/**
 * Loads every custom control and checks ids and names against the built-in catalogue and
 * each other. A definition with a problem is left out; the problems say which and why.
 */
export async function loadCustomControls(src: CustomControlSources, builtIn: readonly Control[]): Promise<LoadedCustomControls> {
  const problems: LoadProblem[] = [];
  const specs = [...(src.specs ?? [])];
  const plugins: string[] = [...(src.plugins ?? [])];
  for (const dir of src.dirs ?? []) {
    for (const f of await filesOf(dir, problems)) {
      if (PLUGIN_EXT.test(f)) {
        plugins.push(f);
        continue;
      }
      let text: string;
      try {
        text = await fs.readFile(f, 'utf8');
      } catch (err) {
        problems.push({ file: f, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      const r = parseCustomControls(f, text);
      problems.push(...r.problems);
      specs.push(...r.specs);
    }
  }
  const controls: Array<{ c: Control; file: string; line?: number }> = [];
  for (const s of specs) controls.push({ c: customControl(s.spec, s), file: s.file, line: s.line });
  for (const p of plugins) for (const c of await loadPlugin(p, problems)) controls.push({ c, file: p });
  const taken = new Map<string, string>();
  for (const b of builtIn) {
    taken.set(b.id.toLowerCase(), `built-in control ${b.id}`);
    taken.set(b.name.toLowerCase(), `built-in control ${b.id}`);
  }
  const kept: Control[] = [];
  for (const { c, file, line } of controls) {
    const clash = taken.get(c.id.toLowerCase()) ?? taken.get(c.name.toLowerCase());
    if (clash) {
      problems.push({ file, ...(line ? { line } : {}), message: `custom control ${c.id} (${c.name}): its id or name is already used by ${clash}` });
      continue;
    }
    taken.set(c.id.toLowerCase(), `custom control ${c.id} (${file})`);
    taken.set(c.name.toLowerCase(), `custom control ${c.id} (${file})`);
    kept.push(c);
  }
  kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { controls: kept, problems };
}

export { formatLoadProblem };
