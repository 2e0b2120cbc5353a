/**
 * Custom controls written in YAML with CEL (docs/custom-controls.md): the definition's schema,
 * checked at load with every problem at once (file, line and column), and the Control it
 * becomes — an object control run by the same engine, exceptions and reports as the built-in
 * ones. Each validation's expression is true when the object passes.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { compileCel, evaluateCel, formatCompileError, fromCel, toCel, type CelProgram } from '../../cel/engine.js';
import { DIMENSIONS, LAYERS, SEVERITIES, type Control, type Severity } from '../../engine/types.js';
import { redact, secretValuesOf } from '../../cel/redact.js';

export const CUSTOM_CONTROL_API_VERSION = 'kordon.dev/v1';
/** Variables a custom control's expressions see. */
export const CUSTOM_VARIABLES = ['object', 'namespaceObject', 'variables'] as const;

const nonEmpty = z.string().min(1, 'must not be empty');
const expression = nonEmpty.describe('A CEL expression (Kubernetes CEL libraries; see docs/cel.md).');

export const CustomControlSchema = z
  .object({
    apiVersion: z.literal(CUSTOM_CONTROL_API_VERSION).optional(),
    kind: z.literal('Control').optional(),
    id: z
      .string()
      .regex(/^[A-Z][A-Z0-9]*-[0-9A-Za-z-]+$/, 'an id like ACME-0001 (letters, a dash, then letters or digits)')
      .refine((s) => !s.startsWith('KOR-'), 'KOR- ids belong to the built-in controls; use your own prefix')
      .describe('Stable id, your own prefix (ACME-0001); KOR- is reserved.'),
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case (lower-case words joined by -)').describe('kebab-case name.'),
    title: nonEmpty,
    description: nonEmpty.optional(),
    severity: z.enum(SEVERITIES as unknown as [Severity, ...Severity[]]),
    layer: z.enum(LAYERS as unknown as [string, ...string[]]),
    guard: z.enum(['authentication', 'authorization', 'admission', 'auditing']).optional(),
    phases: z.array(z.enum(['develop', 'distribute', 'deploy', 'runtime'])).min(1).optional(),
    effort: z.enum(['low', 'medium', 'high']).optional(),
    dimensions: z.array(z.enum(DIMENSIONS as unknown as [string, ...string[]])).min(1).optional(),
    frameworks: z
      .object({ pss: z.array(nonEmpty).optional(), nsa: z.array(nonEmpty).optional(), cis: z.array(nonEmpty).optional(), mitre: z.array(nonEmpty).optional() })
      .strict()
      .optional(),
    remediation: nonEmpty.refine((s) => s.trim().endsWith('.'), 'ends with a period'),
    match: z
      .object({
        kinds: z.array(z.string().regex(/^([a-z0-9.-]+\/)?[A-Z][A-Za-z0-9]*$/, 'a kind (Deployment) or group/kind (apps/Deployment)')).min(1, 'at least one kind'),
        namespaces: z.array(nonEmpty).optional().describe('Only objects in these namespaces.'),
      })
      .strict(),
    variables: z.array(z.object({ name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a CEL identifier'), expression }).strict()).optional(),
    validations: z
      .array(
        z
          .object({
            expression,
            message: nonEmpty.optional(),
            messageExpression: expression.optional(),
            pointer: z.string().regex(/^(\/.*)?$/, 'a JSON pointer (/spec/replicas) or empty').optional().describe('Where findings point (JSON pointer into the object).'),
          })
          .strict(),
      )
      .min(1, 'at least one validation'),
  })
  .strict();

export type CustomControlSpec = z.infer<typeof CustomControlSchema>;

export interface LoadProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatLoadProblem(p: LoadProblem): string {
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ${p.message}`;
}

function nodeAt(doc: Document, where: Array<string | number>): Node | undefined {
  for (let n = where.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(where.slice(0, n), true)) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node;
  }
  return undefined;
}

function keyNode(doc: Document, where: Array<string | number>, key: string): Node | undefined {
  const node = where.length ? doc.getIn(where, true) : doc.contents;
  if (isMap(node)) for (const item of node.items) if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key as Node;
  return isSeq(node) || isMap(node) ? (node as Node) : nodeAt(doc, where);
}

/** The position of a character inside an expression's YAML scalar (plain or quoted, one line). */
function expressionPosition(lines: LineCounter, node: Node | undefined, exprOffset: number | undefined): { line: number; column: number } | undefined {
  if (!node?.range) return undefined;
  const start = lines.linePos(node.range[0]);
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
  const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
  if (exprOffset === undefined || block) return { line: start.line, column: start.col };
  return { line: start.line, column: start.col + quoted + exprOffset };
}

/**
 * Parses custom-control YAML (one or more documents, each a control or a `controls:` list) and
 * checks each definition: schema, unique ids, and every expression compiled. Never throws.
 */
export function parseCustomControls(file: string, text: string): { specs: Array<{ spec: CustomControlSpec; file: string; line: number }>; problems: LoadProblem[] } {
  const lines = new LineCounter();
  const problems: LoadProblem[] = [];
  const specs: Array<{ spec: CustomControlSpec; file: string; line: number }> = [];
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const list = Array.isArray(docs) ? docs : [docs];
  const at = (offset: number | undefined) => (offset === undefined ? {} : { line: lines.linePos(offset).line, column: lines.linePos(offset).col });
  for (const doc of list) {
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push({ file, ...at(e.pos[0]), message: `not valid YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (data === null || data === undefined) continue;
    const entries: Array<{ value: unknown; path: Array<string | number> }> =
      data && typeof data === 'object' && !Array.isArray(data) && 'controls' in data && Object.keys(data).every((k) => k === 'controls' || k === 'apiVersion' || k === 'kind')
        ? (Array.isArray((data as { controls: unknown }).controls) ? ((data as { controls: unknown[] }).controls.map((value, i) => ({ value, path: ['controls', i] }))) : [])
        : Array.isArray(data)
          ? data.map((value, i) => ({ value, path: [i] }))
          : [{ value: data, path: [] }];
    for (const { value, path } of entries) checkOne(doc, lines, file, value, path, problems, specs);
  }
  return { specs, problems };
}

/** Checks one definition (already decoded) whose YAML node sits at `path` in `doc`. */
export function checkOne(doc: Document, lines: LineCounter, file: string, value: unknown, path: Array<string | number>, problems: LoadProblem[], specs: Array<{ spec: CustomControlSpec; file: string; line: number }>): void {
  const pos = (where: Array<string | number>) => {
    const n = nodeAt(doc, [...path, ...where]);
    return n?.range ? { line: lines.linePos(n.range[0]).line, column: lines.linePos(n.range[0]).col } : {};
  };
  const r = CustomControlSchema.safeParse(value);
  const id = value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : undefined;
  const who = id ? `custom control ${id}` : 'custom control';
  if (!r.success) {
    for (const issue of r.error.issues) {
      const where = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      const name = where.length ? where.join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const n = keyNode(doc, [...path, ...where], key);
          problems.push({ file, ...(n?.range ? { line: lines.linePos(n.range[0]).line, column: lines.linePos(n.range[0]).col } : {}), message: `${who}: ${[...where, key].join('.')}: unknown key "${key}"` });
        }
      } else if (issue.code === 'invalid_type' && doc.getIn([...path, ...where], true) === undefined && where.length > 0) {
        problems.push({ file, ...pos(where), message: `${who}: ${name}: is required (${issue.expected})` });
      } else problems.push({ file, ...pos(where), message: `${who}: ${name}: ${issue.message}` });
    }
    // the expressions are checked too, so every problem is said at once
    const raw = (value && typeof value === 'object' ? value : {}) as { variables?: unknown; validations?: unknown };
    const each = (list: unknown, fields: string[], what: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((item, i) => {
        for (const f of fields) {
          const e = item && typeof item === 'object' ? (item as Record<string, unknown>)[f] : undefined;
          if (typeof e === 'string' && e.trim() !== '') compileExpr(doc, lines, file, who, e, [...path, what, i, f], `${what}[${i}].${f}`, problems, pos);
        }
      });
    };
    each(raw.variables, ['expression'], 'variables');
    each(raw.validations, ['expression', 'messageExpression'], 'validations');
    return;
  }
  const spec = r.data;
  let ok = true;
  const compileAt = (expr: string, where: Array<string | number>, what: string) => {
    if (!compileExpr(doc, lines, file, `custom control ${spec.id}`, expr, [...path, ...where], what, problems, pos)) ok = false;
  };
  (spec.variables ?? []).forEach((v, i) => compileAt(v.expression, ['variables', i, 'expression'], `variable "${v.name}"`));
  spec.validations.forEach((v, i) => {
    compileAt(v.expression, ['validations', i, 'expression'], `validations[${i}].expression`);
    if (v.messageExpression) compileAt(v.messageExpression, ['validations', i, 'messageExpression'], `validations[${i}].messageExpression`);
  });
  if (ok) specs.push({ spec, file, line: (pos([]) as { line?: number }).line ?? 0 });
}

/** Compiles one expression; a failure is a problem at the expression's own line and column. */
function compileExpr(
  doc: Document,
  lines: LineCounter,
  file: string,
  who: string,
  expr: string,
  at: Array<string | number>,
  what: string,
  problems: LoadProblem[],
  pos: (where: Array<string | number>) => { line?: number; column?: number },
): boolean {
  const c = compileCel(expr, CUSTOM_VARIABLES);
  if (c.ok) return true;
  const node = doc.getIn(at, true) as Node | undefined;
  const p = expressionPosition(lines, node, c.error.position?.offset);
  problems.push({ file, ...(p ?? pos([])), message: `${who}: ${what} does not compile: ${formatCompileError(c.error)}` });
  return false;
}

function compiled(expr: string): CelProgram {
  const c = compileCel(expr, CUSTOM_VARIABLES);
  if (!c.ok) throw new Error(`custom control expression does not compile: ${formatCompileError(c.error)}`);
  return c.program;
}

/** The Control a checked definition becomes. */
export function customControl(spec: CustomControlSpec, origin: { file: string; line: number }): Control {
  const vars = (spec.variables ?? []).map((v) => ({ name: v.name, program: compiled(v.expression) }));
  const validations = spec.validations.map((v) => ({ ...v, program: compiled(v.expression), messageProgram: v.messageExpression ? compiled(v.messageExpression) : undefined }));
  const kinds = [...new Set(spec.match.kinds.map((k) => k.split('/').pop()!))];
  const groups = new Map<string, Set<string>>();
  for (const k of spec.match.kinds) {
    const [g, kind] = k.includes('/') ? [k.slice(0, k.lastIndexOf('/')), k.slice(k.lastIndexOf('/') + 1)] : [undefined, k];
    if (g === undefined) continue;
    const set = groups.get(kind!) ?? new Set<string>();
    set.add(g === 'core' ? '' : g);
    groups.set(kind!, set);
  }
  const namespaces = spec.match.namespaces ? new Set(spec.match.namespaces) : undefined;
  return {
    id: spec.id,
    name: spec.name,
    title: spec.title,
    description: spec.description ?? `${spec.title} (custom control from ${origin.file}).`,
    layer: spec.layer as Control['layer'],
    ...(spec.guard ? { guard: spec.guard } : {}),
    ...(spec.dimensions ? { dimensions: spec.dimensions as Control['dimensions'] } : {}),
    phases: spec.phases ?? ['develop', 'deploy', 'runtime'],
    severity: spec.severity,
    effort: spec.effort ?? 'medium',
    frameworks: spec.frameworks ?? {},
    remediation: spec.remediation,
    messages: { failed: '{{message}}' },
    targets: 'object',
    kinds,
    check(object, ctx) {
      const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
      const allowed = groups.get(object.kind);
      if (allowed && !allowed.has(group) && !spec.match.kinds.includes(object.kind)) return;
      const ns = ctx.inventory.namespaceOf(object);
      if (namespaces && (ns === undefined || !namespaces.has(ns))) return;
      const nsObj = ns !== undefined ? ctx.inventory.get('Namespace', undefined, ns)?.object : undefined;
      const problem = (message: string) => {
        const item = ctx.item;
        ctx.inventory.addProblem({ source: item?.origin.source ?? '<inventory>', ...(item && item.origin.line > 0 ? { line: item.origin.line } : {}), code: 'control-error', severity: 'error', message: `custom control ${spec.id} (${spec.name}) on ${object.kind} ${ns ? `${ns}/` : ''}${object.metadata.name ?? ''}: ${message}` });
      };
      const variables: Record<string, unknown> = {};
      const base = { object: toCel(object), namespaceObject: nsObj ? toCel(nsObj) : null, variables };
      const cache = new Map<string, { ok: boolean; value?: unknown; error?: string }>();
      for (const v of vars) {
        Object.defineProperty(variables, v.name, {
          enumerable: true,
          get() {
            let r = cache.get(v.name);
            if (!r) {
              const e = evaluateCel(v.program, base);
              r = e.ok ? { ok: true, value: e.value } : { ok: false, error: `variable "${v.name}": ${e.error}` };
              cache.set(v.name, r);
            }
            if (!r.ok) throw new Error(r.error);
            return r.value;
          },
        });
      }
      for (const v of validations) {
        const r = evaluateCel(v.program, base);
        if (!r.ok) {
          problem(`expression '${v.expression}' resulted in error: ${r.error}`);
          continue;
        }
        if (r.value === true) continue;
        if (r.value !== false) {
          problem(`expression '${v.expression}' returned ${typeof fromCel(r.value)}, not a bool`);
          continue;
        }
        let message = '';
        if (v.messageProgram) {
          const m = evaluateCel(v.messageProgram, base);
          if (m.ok && typeof m.value === 'string') message = m.value.trim();
        }
        if (!message && v.message) message = v.message.trim();
        if (!message) message = `failed expression: ${v.expression.trim()}`;
        ctx.report('failed', { message: redact(message, secretValuesOf(object)) }, v.pointer ?? '');
      }
    },
  } as Control;
}
