/**
 * Choosing controls: `--controls` / `--skip-controls` and the config file's `controls.enable` /
 * `controls.skip`. A selector is a control id (`KOR-0012`), a name (`privileged-container`), an
 * alias (an older id), or a glob over ids and names (`KOR-00*`, `rbac-*`; `*` any run of
 * characters, `?` one). Ids and names are compared case-insensitively. A selector that matches
 * no control is an error: a typo must not silently run everything (or nothing).
 */
import type { Control } from './types.js';

export interface ControlSelection {
  /** Only these (default: all). */
  enable?: readonly string[];
  /** Not these (applied after `enable`). */
  skip?: readonly string[];
}

function globRe(pattern: string): RegExp {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
}

/** Whether one selector picks a control. */
export function selectorMatches(selector: string, c: Control): boolean {
  const s = selector.trim();
  if (s === '') return false;
  const names = [c.id, c.name, ...(c.aliases ?? [])];
  if (/[*?]/.test(s)) {
    const re = globRe(s);
    return names.some((n) => re.test(n));
  }
  const lower = s.toLowerCase();
  return names.some((n) => n.toLowerCase() === lower);
}

/** The controls a selection keeps, in catalogue order; `errors` names every selector that matched nothing. */
export function selectControls(all: readonly Control[], sel: ControlSelection): { controls: Control[]; errors: string[] } {
  const errors: string[] = [];
  const unknown = (list: readonly string[] | undefined, what: string): void => {
    for (const s of list ?? []) if (!all.some((c) => selectorMatches(s, c))) errors.push(`${what} "${s}" matches no control (see \`kordon controls\`)`);
  };
  unknown(sel.enable, 'control');
  unknown(sel.skip, 'skipped control');
  const enable = sel.enable?.length ? sel.enable : undefined;
  const controls = all.filter((c) => (!enable || enable.some((s) => selectorMatches(s, c))) && !(sel.skip ?? []).some((s) => selectorMatches(s, c)));
  return { controls, errors };
}

/** Splits repeatable, comma-separated flag values: `--controls a,b --controls c` → [a, b, c]. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
