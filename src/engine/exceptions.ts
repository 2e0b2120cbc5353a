/**
 * Exceptions: accepted risks, from an annotation on the object or from an exceptions file.
 * Expired exceptions stop applying and are reported; unused ones are reported too.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import type { Control, ObjectRef, Suppression } from './types.js';
import type { K8sObject } from '../inventory/types.js';

export const IGNORE_ANNOTATION = 'kordon.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'kordon.dev/ignore-reason';

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const ExceptionRuleSchema = z.object({
  /** Control ids, aliases or names; `*` for all. */
  controls: z.array(z.string().min(1)).min(1),
  match: z
    .object({
      kind: z.string().optional(),
      namespace: z.string().optional(),
      name: z.string().optional(),
    })
    .strict()
    .default({}),
  reason: z.string().min(1, 'a reason is required'),
  owner: z.string().optional(),
  expires: z.union([dateString, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
}).strict();

export const ExceptionsFileSchema = z.object({
  apiVersion: z.literal('kordon.dev/v1').optional(),
  kind: z.literal('Exceptions').optional(),
  exceptions: z.array(ExceptionRuleSchema),
}).strict();

export type ExceptionRule = z.infer<typeof ExceptionRuleSchema>;

export interface ExceptionStatus {
  /** 0-based position of the rule in its exceptions file. */
  index: number;
  rule: ExceptionRule;
  source: string;
  /** How many findings it suppressed. */
  used: number;
  expired: boolean;
}

/** Parses an exceptions file; all problems at once, never throws. */
export function parseExceptionsFile(source: string, text: string): { rules: ExceptionRule[]; errors: string[] } {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    return { rules: [], errors: [`${source}: not valid YAML: ${String((err as Error).message).split('\n')[0]}`] };
  }
  const r = ExceptionsFileSchema.safeParse(data);
  if (!r.success) {
    return { rules: [], errors: r.error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`) };
  }
  return { rules: r.data.exceptions, errors: [] };
}

/** Glob with `*` and `?` (case-sensitive); an absent pattern matches everything. */
export function globMatch(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined || pattern === '*') return true;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(value ?? '');
}

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
