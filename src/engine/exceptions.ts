/**
 * Exceptions: accepted risks, from an annotation on the object or from an exceptions file.
 * Expired exceptions stop applying and are reported; unused ones are reported too.
 */
import type { Control, ObjectRef, Suppression } from './types.js';
import type { K8sObject } from '../inventory/types.js';

export const IGNORE_ANNOTATION = 'kordon.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'kordon.dev/ignore-reason';

/**
 * One rule of an exceptions file (its schema, with the validation, is in exceptions-file.ts,
 * loaded only when a scan is given such a file).
 */
export interface ExceptionRule {
  /** Control ids, aliases or names; `*` for all. */
  controls: string[];
  match: { kind?: string | undefined; namespace?: string | undefined; name?: string | undefined };
  reason: string;
  owner?: string | undefined;
  /** YYYY-MM-DD */
  expires?: string | undefined;
}

export interface ExceptionStatus {
  /** 0-based position of the rule in its exceptions file. */
  index: number;
  rule: ExceptionRule;
  source: string;
  /** How many findings it suppressed. */
  used: number;
  expired: boolean;
}

/** Glob with `*` and `?` (case-sensitive); an absent pattern matches everything. */
export function globMatch(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined || pattern === '*') return true;
  let re = GLOBS.get(pattern);
  if (!re) GLOBS.set(pattern, (re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$')));
  return re.test(value ?? '');
}

/** Compiled globs (a large scan asks the same few patterns once per finding). */
const GLOBS = new Map<string, RegExp>();

export function controlSelected(selectors: readonly string[], control: Control): boolean {
  return selectors.some((s) => s === '*' || s === control.id || s === control.name || (control.aliases ?? []).includes(s));
}

export class ExceptionMatcher {
  readonly statuses: ExceptionStatus[];

  constructor(rules: Array<{ rule: ExceptionRule; source: string }>, now: Date) {
    const today = now.toISOString().slice(0, 10);
    const perSource = new Map<string, number>();
    this.statuses = rules.map(({ rule, source }) => {
      const index = perSource.get(source) ?? 0;
      perSource.set(source, index + 1);
      return { index, rule, source, used: 0, expired: rule.expires !== undefined && rule.expires < today };
    });
  }

  /** The suppression for a finding, if any. Annotations win over the file. */
  match(control: Control, obj: K8sObject | undefined, ref: ObjectRef | undefined): Suppression | undefined {
    if (obj) {
      const ann = obj.metadata.annotations?.[IGNORE_ANNOTATION];
      if (typeof ann === 'string') {
        const ids = ann.split(',').map((s) => s.trim()).filter(Boolean);
        if (controlSelected(ids, control)) {
          const reason = obj.metadata.annotations?.[IGNORE_REASON_ANNOTATION];
          return { by: 'annotation', reason: typeof reason === 'string' && reason ? reason : '(no reason given)' };
        }
      }
    }
    for (const s of this.statuses) {
      if (s.expired) continue;
      if (!controlSelected(s.rule.controls, control)) continue;
      const m = s.rule.match;
      if (!globMatch(m.kind, ref?.kind) || !globMatch(m.namespace, ref?.namespace ?? '') || !globMatch(m.name, ref?.name)) continue;
      s.used++;
      return { by: 'exceptions-file', reason: s.rule.reason, ...(s.rule.owner ? { owner: s.rule.owner } : {}), ...(s.rule.expires ? { expires: s.rule.expires } : {}) };
    }
    return undefined;
  }
}
