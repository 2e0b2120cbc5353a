/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels AND matchExpressions
 * (In, NotIn, Exists, DoesNotExist). An empty selector matches everything; an unknown
 * operator or a malformed selector matches nothing (the API server would reject it).
 */

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export type SelectorMatcher = (labels: Labels) => boolean;

const MATCH_ALL: SelectorMatcher = () => true;
const MATCH_NONE: SelectorMatcher = () => false;

export function isEmptySelector(sel: LabelSelector | undefined | null): boolean {
  if (!sel || typeof sel !== 'object') return false;
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** Compiles a selector into a predicate over labels. */
export function compileSelector(sel: unknown): SelectorMatcher {
  if (sel === null || typeof sel !== 'object' || Array.isArray(sel)) return MATCH_NONE;
  const s = sel as LabelSelector;
  const tests: SelectorMatcher[] = [];
  const ml = s.matchLabels;
  if (ml !== undefined) {
    if (ml === null || typeof ml !== 'object') return MATCH_NONE;
    for (const [k, v] of Object.entries(ml)) tests.push((l) => l[k] === String(v));
  }
  const me = s.matchExpressions;
  if (me !== undefined) {
    if (!Array.isArray(me)) return MATCH_NONE;
    for (const e of me) {
      if (!e || typeof e !== 'object' || typeof e.key !== 'string') return MATCH_NONE;
      if (e.values !== undefined && e.values !== null && !Array.isArray(e.values)) return MATCH_NONE;
      const values = new Set((e.values ?? []).map(String));
      switch (e.operator) {
        case 'In':
          tests.push((l) => Object.prototype.hasOwnProperty.call(l, e.key) && values.has(l[e.key]!));
          break;
        case 'NotIn':
          tests.push((l) => !Object.prototype.hasOwnProperty.call(l, e.key) || !values.has(l[e.key]!));
          break;
        case 'Exists':
          tests.push((l) => Object.prototype.hasOwnProperty.call(l, e.key));
          break;
        case 'DoesNotExist':
          tests.push((l) => !Object.prototype.hasOwnProperty.call(l, e.key));
          break;
        default:
          return MATCH_NONE;
      }
    }
  }
  if (tests.length === 0) return MATCH_ALL;
  if (tests.length === 1) return tests[0]!;
  return (l) => tests.every((t) => t(l));
}

const compiled = new WeakMap<object, SelectorMatcher>();

/**
 * compileSelector(), once per selector object: for the checks that match one selector against
 * many label sets, object by object (a selector object is never changed after it is read).
 */
export function compiledSelector(sel: unknown): SelectorMatcher {
  if (sel === null || typeof sel !== 'object') return compileSelector(sel);
  let m = compiled.get(sel);
  if (!m) compiled.set(sel, (m = compileSelector(sel)));
  return m;
}

/** A canonical text form of a selector, used to cache its matches. */
export function selectorKey(sel: unknown): string {
  if (sel === null || typeof sel !== 'object' || Array.isArray(sel)) return 'invalid';
  const s = sel as LabelSelector;
  if (compileSelector(sel) === MATCH_NONE) return 'invalid';
  const ml = Object.entries(s.matchLabels && typeof s.matchLabels === 'object' ? s.matchLabels : {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const me = (Array.isArray(s.matchExpressions) ? s.matchExpressions : []).map((e) => `${e?.key}|${e?.operator}|${(Array.isArray(e?.values) ? e.values : []).map(String).sort().join(',')}`).sort();
  return JSON.stringify([ml, me]);
}

/** Human text: `app=db,tier in (a,b)`, or `(all)` for the empty selector. */
export function describeSelector(sel: unknown): string {
  if (sel === null || typeof sel !== 'object' || Array.isArray(sel)) return '(invalid)';
  const s = sel as LabelSelector;
  const parts: string[] = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator}?`);
  }
  return parts.length ? parts.join(',') : '(all)';
}
