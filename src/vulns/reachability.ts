/**
 * Is a package in use in a container? Yes when a file it owns was executed or opened (shared
 * libraries a binary maps are opens in every tool kordon reads); not observed only when the
 * container's evidence is complete for a stated window and none of the package's files appears;
 * otherwise unknown. A package whose files are not known (the report names none, no SBOM lists
 * them) is unknown whatever the evidence says: absence of a file nobody listed proves nothing.
 */
import type { ContainerEvidence, Observation } from '../sources/runtime/model.js';

export type InUse = 'yes' | 'no' | 'unknown';

/** What a package occupies: exact files, and directories whose every file is the package's. */
export interface PackageFiles {
  exact: Set<string>;
  prefixes: string[];
  /**
   * Soname links of the package's shared libraries (`…/libz.so.1` → `…/libz.so.1.2.13`): the
   * dynamic loader opens a library by its soname, a symlink the package ships but that SBOMs
   * built from checksummed files (Syft's dpkg `md5sums`) do not list. Not counted as files.
   */
  links: Map<string, string>;
}

/** `…/libz.so.1.2.13` → `…/libz.so.1.2`, `…/libz.so.1` (never the development link `…/libz.so`). */
export function sonameLinksOf(file: string): string[] {
  const m = /^(.*\/[^/]+\.so)((?:\.[0-9]+)+)$/.exec(file);
  if (!m) return [];
  const parts = m[2]!.slice(1).split('.');
  const out: string[] = [];
  for (let k = parts.length - 1; k >= 1; k--) out.push(`${m[1]}.${parts.slice(0, k).join('.')}`);
  return out;
}

/**
 * The same file under its usrmerge alias: `/lib/x` and `/usr/lib/x` (and bin, sbin, lib64) are
 * one file on merged distributions, and SBOMs and runtime tools name either.
 */
export function normalisePath(p: string): string {
  let s = p.startsWith('/') ? p : `/${p}`;
  if (s.includes('//') || s.includes('/./')) s = s.replace(/\/+/g, '/').replace(/\/\.\//g, '/');
  const m = /^\/(lib|lib32|lib64|libx32|bin|sbin)\//.exec(s);
  return m ? `/usr${s}` : s;
}

/** Package-manager databases and documentation: listed as a package's location, but not code the package runs. */
const NOT_CODE = /^\/(usr\/)?(var\/lib\/dpkg\/|lib\/apk\/db\/|var\/lib\/rpm\/|usr\/lib\/sysimage\/rpm\/|usr\/share\/(doc|man|info|lintian)\/)|^\/usr\/var\/lib\/dpkg\//;

/**
 * The files a package owns, from SBOM relationships and report locations. A language package's
 * metadata file stands for its directory: `…/node_modules/x/package.json` → `…/node_modules/x/`,
 * `…/site-packages/x-1.0.dist-info/…` → `…/site-packages/x/`.
 */
export function packageFilesOf(paths: Iterable<string>, name: string): PackageFiles {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const raw of paths) {
    const p = normalisePath(raw);
    if (NOT_CODE.test(p)) continue;
    const nm = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(p);
    if (nm) {
      prefixes.add(`${nm[1]}/`);
      continue;
    }
    const py = /^(.*\/(?:site|dist)-packages)\/[^/]+\.(dist-info|egg-info)(\/.*)?$/.exec(p);
    if (py) {
      prefixes.add(`${py[1]}/${name.toLowerCase().replace(/[-.]+/g, '_')}/`);
      continue;
    }
    exact.add(p);
  }
  const links = new Map<string, string>();
  for (const f of exact) for (const l of sonameLinksOf(f)) if (!exact.has(l) && !links.has(l)) links.set(l, f);
  return { exact, prefixes: [...prefixes].sort(), links };
}

export interface CompiledEvidence {
  ev: ContainerEvidence;
  /** exec/open observations by normalised path. */
  exact: Map<string, Observation>;
  patterns: Array<{ re: RegExp; head: string; obs: Observation }>;
}

export function compileEvidence(ev: ContainerEvidence): CompiledEvidence {
  const exact = new Map<string, Observation>();
  const patterns: CompiledEvidence['patterns'] = [];
  for (const o of ev.observations) {
    if (o.kind !== 'exec' && o.kind !== 'open') continue;
    if (o.pattern) {
      const v = normalisePath(o.value);
      const re = new RegExp(`^${v.split(/(\u22ef|\*)/).map((part) => (part === '\u22ef' ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
      patterns.push({ re, head: v.split(/\u22ef|\*/)[0]!, obs: o });
    } else {
      const k = normalisePath(o.value);
      // an exec outranks an open of the same file
      if (!exact.has(k) || o.kind === 'exec') exact.set(k, o);
    }
  }
  return { ev, exact, patterns };
}

export interface Decision {
  file: string;
  observed: 'exec' | 'open';
  /** The observation as the tool wrote it (a pattern, or the path under its own alias). */
  as?: string;
  tool: string;
  source: string;
  line?: number;
}

/** The package files one container's evidence shows in use (at most `limit`). */
export function usedFiles(files: PackageFiles, evs: readonly CompiledEvidence[], limit = 5): Decision[] {
  let out: Decision[] | undefined;
  for (const ce of evs) {
    for (const f of files.exact) {
      const o = ce.exact.get(f);
      if (o) {
        if ((out ??= []).push(decision(f, o, ce)) >= limit) return out;
        continue;
      }
      for (const p of ce.patterns) if (f.startsWith(p.head) && p.re.test(f) && (out ??= []).push(decision(f, p.obs, ce)) >= limit) return out;
    }
    for (const [link, file] of files.links) {
      const o = ce.exact.get(link);
      if (o && !(out ?? NONE).some((d) => d.file === file) && (out ??= []).push(decision(file, o, ce)) >= limit) return out;
    }
    if (files.prefixes.length) {
      for (const [path, o] of ce.exact) for (const pre of files.prefixes) if (path.startsWith(pre) && (out ??= []).push(decision(path, o, ce)) >= limit) return out;
      for (const p of ce.patterns) for (const pre of files.prefixes) if (p.head.startsWith(pre) && (out ??= []).push(decision(p.obs.value, p.obs, ce)) >= limit) return out;
    }
  }
  return out ?? NONE;
}

const NONE: Decision[] = [];

function decision(file: string, obs: Observation, ce: CompiledEvidence): Decision {
  const d: Decision = { file, observed: obs.kind as 'exec' | 'open', tool: ce.ev.tool, source: ce.ev.source };
  if (obs.value !== file) d.as = obs.value;
  if (ce.ev.line) d.line = ce.ev.line;
  return d;
}
