/**
 * `kordon vap`: a ValidatingAdmissionPolicy dry run. Every ValidatingAdmissionPolicy and
 * ValidatingAdmissionPolicyBinding in the input (with their param objects) is applied to every
 * other object as a CREATE request, following the API server's dispatcher
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating): matchConstraints and the
 * binding's matchResources (namespace and object selectors, resourceRules,
 * excludeResourceRules, matchPolicy), paramRef resolution and parameterNotFoundAction,
 * matchConditions, variables, validations with message/messageExpression/reason, the
 * binding's validationActions, auditAnnotations and failurePolicy. Objects are taken as
 * written (no defaulting). Pure: an inventory in, a report out.
 */
import { compileCel, evaluateCel, formatCompileError, toCel, type CelProgram } from '../cel/engine.js';
import { Authorizer, ResourceCheck, type AuthorizeFn } from '../cel/library.js';
import { CelRuntimeError, PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from '../cel/runtime.js';
import type { Inventory } from '../inventory/inventory.js';
import { apiGroupOf } from '../inventory/inventory.js';
import type { InputProblem, InventoryObject, K8sObject } from '../inventory/types.js';
import { compileSelector } from '../network/selector.js';
import { redact, secretValuesOf } from '../cel/redact.js';
import { resourceTableFor, type ResourceTable } from '../rbac/resources.js';
import { targetKubernetesVersion } from '../rbac/builtins.js';

export const POLICY_KIND = 'ValidatingAdmissionPolicy';
export const BINDING_KIND = 'ValidatingAdmissionPolicyBinding';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

export interface VapObjectRef {
  kind: string;
  namespace: string;
  name: string;
  file: string;
  line: number;
}

export interface VapViolation {
  /** The validation's expression (or what failed: a matchCondition, a paramRef, an auditAnnotation). */
  validation: string;
  message: string;
  /** Unauthorized, Forbidden, Invalid or RequestEntityTooLarge (the API server's status reason). */
  reason: string;
  /** Set when the violation is an evaluation or configuration error (the failurePolicy decided it). */
  error?: true;
  /** Set for an evaluation error that failurePolicy Ignore lets pass (listed, never denying). */
  ignored?: true;
}

export interface VapResult {
  object: VapObjectRef;
  policy: string;
  binding: string;
  allowed: boolean;
  /** The binding's validationActions (Deny, Warn, Audit). */
  validationActions: string[];
  violations: VapViolation[];
  /** `key: value` audit annotations the policy's auditAnnotations would add. */
  auditAnnotations?: Record<string, string[]>;
}

export interface VapReport {
  policies: number;
  bindings: number;
  /** Objects evaluated as CREATE requests. */
  objects: number;
  results: VapResult[];
  problems: InputProblem[];
}

export interface VapUser {
  username: string;
  groups: string[];
}

export interface VapOptions {
  /** The requesting user (request.userInfo; the authorizer's subject). */
  user?: VapUser;
  /** request.dryRun (false: the object is created for real). */
  dryRun?: boolean;
  /** Answers `authorizer` checks (default: nothing is allowed). */
  authorize?: AuthorizeFn;
  /** Objects to evaluate (default every object that is not a policy, binding or param). */
  objects?: readonly InventoryObject[];
}

const VARS = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer'];
const VARS_WITH_VARIABLES = [...VARS, 'variables'];

interface Compiled {
  expression: string;
  program?: CelProgram;
  error?: string;
}

interface CompiledPolicy {
  item: InventoryObject;
  name: string;
  spec: Record<string, unknown>;
  failurePolicy: 'Fail' | 'Ignore';
  configError?: string;
  matchConditions: Array<{ name: string; c: Compiled }>;
  variables: Array<{ name: string; c: Compiled }>;
  validations: Array<{ c: Compiled; message?: string; messageExpression?: Compiled; reason: string }>;
  auditAnnotations: Array<{ key: string; c: Compiled }>;
  paramKind?: { apiVersion: string; kind: string };
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function problemAt(item: InventoryObject, message: string, severity: 'error' | 'warning' = 'error'): InputProblem {
  return { source: item.origin.source, line: item.origin.line, code: 'config', severity, message };
}

function compileOne(expression: unknown, vars: readonly string[], where: string, policyName: string, item: InventoryObject, problems: InputProblem[], kubeVersion: string): Compiled {
  if (typeof expression !== 'string') {
    problems.push(problemAt(item, `ValidatingAdmissionPolicy "${policyName}": ${where} has no expression`));
    return { expression: '', error: 'compilation failed: no expression' };
  }
  const r = compileCel(expression, vars, { kubeVersion });
  if (r.ok) return { expression, program: r.program };
  const msg = formatCompileError(r.error);
  problems.push(problemAt(item, `ValidatingAdmissionPolicy "${policyName}": ${where} does not compile: ${msg} (expression: ${JSON.stringify(expression)})`));
  return { expression, error: `compilation failed: ${msg}` };
}

function compilePolicy(item: InventoryObject, problems: InputProblem[], kubeVersion: string): CompiledPolicy {
  const name = item.object.metadata.name ?? '';
  const spec = rec(item.object['spec']) ?? {};
  const fp = spec['failurePolicy'];
  const failurePolicy = fp === 'Ignore' ? 'Ignore' : 'Fail';
  if (fp !== undefined && fp !== 'Ignore' && fp !== 'Fail') problems.push(problemAt(item, `ValidatingAdmissionPolicy "${name}": unknown failurePolicy ${JSON.stringify(fp)} (the API server rejects it); read as Fail`));
  const p: CompiledPolicy = { item, name, spec, failurePolicy, matchConditions: [], variables: [], validations: [], auditAnnotations: [] };
  const mc = rec(spec['matchConstraints']);
  if (!mc) {
    p.configError = 'policy contained no match constraints, a required field';
    problems.push(problemAt(item, `ValidatingAdmissionPolicy "${name}": no spec.matchConstraints (the API server rejects it)`));
  }
  const pk = rec(spec['paramKind']);
  if (pk) {
    const apiVersion = str(pk['apiVersion']);
    const kind = str(pk['kind']);
    if (!apiVersion || !kind) problems.push(problemAt(item, `ValidatingAdmissionPolicy "${name}": paramKind needs apiVersion and kind`));
    else p.paramKind = { apiVersion, kind };
  }
  arr(spec['matchConditions']).forEach((m, i) => {
    const r = rec(m) ?? {};
    const n = str(r['name']) ?? `#${i}`;
    p.matchConditions.push({ name: n, c: compileOne(r['expression'], VARS, `matchCondition "${n}"`, name, item, problems, kubeVersion) });
  });
  arr(spec['variables']).forEach((v, i) => {
    const r = rec(v) ?? {};
    const n = str(r['name']) ?? `#${i}`;
    p.variables.push({ name: n, c: compileOne(r['expression'], VARS_WITH_VARIABLES, `variable "${n}"`, name, item, problems, kubeVersion) });
  });
  arr(spec['validations']).forEach((v, i) => {
    const r = rec(v) ?? {};
    const c = compileOne(r['expression'], VARS_WITH_VARIABLES, `validations[${i}]`, name, item, problems, kubeVersion);
    const me = r['messageExpression'];
    const messageExpression = typeof me === 'string' ? compileOne(me, VARS_WITH_VARIABLES, `validations[${i}].messageExpression`, name, item, problems, kubeVersion) : undefined;
    const message = str(r['message']);
    p.validations.push({ c, reason: str(r['reason']) ?? 'Invalid', ...(message !== undefined ? { message } : {}), ...(messageExpression ? { messageExpression } : {}) });
  });
  arr(spec['auditAnnotations']).forEach((a, i) => {
    const r = rec(a) ?? {};
    p.auditAnnotations.push({ key: str(r['key']) ?? `#${i}`, c: compileOne(r['valueExpression'], VARS_WITH_VARIABLES, `auditAnnotations[${i}]`, name, item, problems, kubeVersion) });
  });
  if (p.validations.length === 0 && p.auditAnnotations.length === 0) problems.push(problemAt(item, `ValidatingAdmissionPolicy "${name}": neither validations nor auditAnnotations (the API server rejects it)`, 'warning'));
  return p;
}

interface Request {
  obj: K8sObject;
  group: string;
  version: string;
  kind: string;
  resource: string;
  /** The request's namespace: '' for cluster-scoped objects; the namespace's own name for a Namespace. */
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Labels of the namespace the request is in (for a Namespace: its own). */
  namespaceLabels?: Record<string, string>;
  namespaceObject: unknown;
}

function ruleMatches(rule: Record<string, unknown>, req: Request, resource: string): boolean {
  const has = (list: unknown, v: string) => arr(list).some((x) => x === '*' || x === v);
  if (!has(rule['operations'], 'CREATE')) return false;
  if (!has(rule['apiGroups'], req.group)) return false;
  if (!has(rule['apiVersions'], req.version)) return false;
  const resOk = arr(rule['resources']).some((r) => r === '*' || r === '*/*' || r === resource);
  if (!resOk) return false;
  const scope = rule['scope'] ?? '*';
  const isNs = req.group === '' && req.resource === 'namespaces';
  if (scope === 'Namespaced') return !isNs && req.namespace !== '';
  if (scope === 'Cluster') return isNs || req.namespace === '';
  return true;
}

function matchesRules(rules: unknown, matchPolicy: unknown, req: Request): boolean {
  const named = arr(rules).map((r) => rec(r) ?? {});
  const nameOk = (r: Record<string, unknown>) => {
    const names = arr(r['resourceNames']);
    return names.length === 0 || names.includes(req.name);
  };
  for (const r of named) if (ruleMatches(r, req, req.resource) && nameOk(r)) return true;
  if (matchPolicy === 'Exact') return false;
  // Equivalent (the default): the same group and resource served at another version
  for (const r of named) {
    const versions = arr(r['apiVersions']);
    for (const v of versions) {
      if (typeof v !== 'string' || v === req.version) continue;
      if (ruleMatches(r, { ...req, version: v }, req.resource) && nameOk(r)) return true;
    }
  }
  return false;
}

const SELECTORS = new WeakMap<object, ReturnType<typeof compileSelector>>();
const EMPTY_SELECTOR = compileSelector({});

/** A selector compiled once per selector object. */
function selector(sel: unknown): ReturnType<typeof compileSelector> {
  if (sel === undefined) return EMPTY_SELECTOR;
  if (sel === null || typeof sel !== 'object') return compileSelector(sel);
  let m = SELECTORS.get(sel);
  if (!m) SELECTORS.set(sel, (m = compileSelector(sel)));
  return m;
}

/** matching.Matcher.Matches: namespace selector, object selector, excluded rules, rules. */
function matchResources(mr: Record<string, unknown>, req: Request, policyLevel: boolean): boolean {
  const nsSel = mr['namespaceSelector'];
  const objSel = mr['objectSelector'];
  const isNs = req.group === '' && req.resource === 'namespaces';
  if (req.namespace !== '' || isNs) {
    if (!selector(nsSel)(req.namespaceLabels ?? {})) return false;
  }
  if (!selector(objSel)(req.labels)) return false;
  if (matchesRules(mr['excludeResourceRules'], mr['matchPolicy'], req)) return false;
  const rules = arr(mr['resourceRules']);
  if (rules.length === 0) return !policyLevel || true;
  return matchesRules(rules, mr['matchPolicy'], req);
}

function celRequest(req: Request, user: VapUser, dryRun: boolean): unknown {
  const gvk = { group: req.group, version: req.version, kind: req.kind };
  const gvr = { group: req.group, version: req.version, resource: req.resource };
  return toCel({
    kind: gvk,
    resource: gvr,
    subResource: '',
    requestKind: gvk,
    requestResource: gvr,
    requestSubResource: '',
    name: req.name,
    namespace: req.group === '' && req.resource === 'namespaces' ? '' : req.namespace,
    operation: 'CREATE',
    userInfo: { username: user.username, groups: user.groups },
    dryRun,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  });
}

function objectRef(item: InventoryObject, inv: Inventory): VapObjectRef {
  return { kind: item.object.kind, namespace: inv.namespaceOf(item.object) ?? '', name: item.object.metadata.name ?? '', file: item.origin.source, line: item.origin.line };
}

function labelsOf(o: K8sObject | undefined): Record<string, string> {
  const l = rec(o?.metadata?.labels);
  const out: Record<string, string> = {};
  if (l) for (const [k, v] of Object.entries(l)) out[k] = String(v);
  return out;
}

/** A Namespace as the API server holds it: with the `kubernetes.io/metadata.name` label it always sets. */
function namespaceAsStored(name: string, inv: Inventory): K8sObject {
  const found = inv.get('Namespace', undefined, name)?.object;
  const base: K8sObject = found ? (JSON.parse(JSON.stringify(found)) as K8sObject) : { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  base.metadata.labels = { ...labelsOf(base), 'kubernetes.io/metadata.name': name };
  return base;
}

const MAX_MESSAGE = 5 * 1024;

const ITEMS = new WeakMap<VapResult, InventoryObject>();

/** The inventory object a result is about. */
export function resultItem(r: VapResult): InventoryObject | undefined {
  return ITEMS.get(r);
}

export function vapDryRun(inv: Inventory, opts: VapOptions = {}): VapReport {
  const problems: InputProblem[] = [];
  const user = opts.user ?? { username: 'kordon', groups: ['system:authenticated'] };
  const dryRun = opts.dryRun ?? false;
  const table = resourceTableFor(inv);
  // the CEL environment of the target version (--kube-version, the cluster's; default the newest shipped)
  const kubeVersion = targetKubernetesVersion(inv).requested;
  const policies = new Map<string, CompiledPolicy>();
  for (const item of inv.byKind(POLICY_KIND)) {
    if (apiGroupOf(item.object.apiVersion) !== ADMISSION_GROUP) continue;
    const p = compilePolicy(item, problems, kubeVersion);
    if (policies.has(p.name)) problems.push(problemAt(item, `ValidatingAdmissionPolicy "${p.name}" is defined twice; the first one is used`, 'warning'));
    else policies.set(p.name, p);
  }
  const bindings = inv.byKind(BINDING_KIND).filter((b) => apiGroupOf(b.object.apiVersion) === ADMISSION_GROUP);
  const bindingsByPolicy = new Map<string, InventoryObject[]>();
  for (const b of bindings) {
    const spec = rec(b.object['spec']) ?? {};
    const policyName = str(spec['policyName']);
    const name = b.object.metadata.name ?? '';
    if (!policyName) {
      problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${name}": no spec.policyName (the API server rejects it)`));
      continue;
    }
    if (!policies.has(policyName)) problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${name}" binds ValidatingAdmissionPolicy "${policyName}", which is not in the input: the binding does nothing here`, 'warning'));
    const actions = arr(spec['validationActions']);
    if (actions.length === 0) problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${name}": no validationActions (the API server rejects it)`));
    for (const a of actions) if (a !== 'Deny' && a !== 'Warn' && a !== 'Audit') problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${name}": unknown validationAction ${JSON.stringify(a)}`));
    if (actions.includes('Deny') && actions.includes('Warn')) problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${name}": Deny and Warn together are not allowed (the API server rejects it)`));
    const list = bindingsByPolicy.get(policyName) ?? [];
    list.push(b);
    bindingsByPolicy.set(policyName, list);
  }
  // param objects (what a binding's paramRef can point at) are configuration, not requests
  const paramKinds = new Set<string>();
  for (const p of policies.values()) if (p.paramKind) paramKinds.add(`${apiGroupOf(p.paramKind.apiVersion)}/${p.paramKind.kind}`);
  for (const p of policies.values()) {
    if (!p.paramKind) continue;
    const resolved = table.resolve(resourceNameFor(p.paramKind.apiVersion, p.paramKind.kind));
    if (!resolved.ok && inv.byKind(p.paramKind.kind).length === 0) problems.push(problemAt(p.item, `ValidatingAdmissionPolicy "${p.name}": paramKind ${p.paramKind.apiVersion} ${p.paramKind.kind} is not a known kind and no such object is in the input`, 'warning'));
  }
  const isParam = (o: K8sObject) => paramKinds.has(`${apiGroupOf(o.apiVersion)}/${o.kind}`) && isReferencedParam(o, policies, bindingsByPolicy, inv);
  const candidates = opts.objects ?? inv.objects.filter((o) => !(apiGroupOf(o.object.apiVersion) === ADMISSION_GROUP && (o.object.kind === POLICY_KIND || o.object.kind === BINDING_KIND)) && !isParam(o.object));
  const results: VapResult[] = [];
  const unknownKinds = new Set<string>();
  let evaluated = 0;
  const authorize: AuthorizeFn = opts.authorize ?? (() => ({ decision: 'noOpinion', reason: 'kordon vap answers no authorization checks without RBAC input' }));
  const costNoted = new Set<string>();
  const paramNoted = new Set<string>();
  const policyList = [...policies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const item of candidates) {
    const o = item.object;
    // the API server never sends its own admission configuration through policies
    if (apiGroupOf(o.apiVersion) === ADMISSION_GROUP && /^(ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding|MutatingAdmissionPolicy|MutatingAdmissionPolicyBinding|ValidatingWebhookConfiguration|MutatingWebhookConfiguration)$/.test(o.kind)) continue;
    const group = apiGroupOf(o.apiVersion);
    const version = o.apiVersion.includes('/') ? o.apiVersion.slice(o.apiVersion.indexOf('/') + 1) : o.apiVersion;
    const resolved = table.resolve(resourceNameFor(o.apiVersion, o.kind));
    if (!resolved.ok || resolved.resource.apiGroup !== group) {
      const key = `${o.apiVersion}/${o.kind}`;
      if (!unknownKinds.has(key)) {
        unknownKinds.add(key);
        problems.push({ source: item.origin.source, line: item.origin.line, code: 'unknown-scope', severity: 'warning', message: `${o.kind} (${o.apiVersion}) is not a known kind (no CustomResourceDefinition for it in the input): admission policies were not applied to objects of this kind` });
      }
      continue;
    }
    evaluated++;
    const ns = inv.namespaceOf(o) ?? '';
    const isNamespace = group === '' && resolved.resource.resource === 'namespaces';
    const nsName = isNamespace ? (o.metadata.name ?? '') : ns;
    const nsObject = ns !== '' ? namespaceAsStored(ns, inv) : undefined;
    const req: Request = {
      obj: o,
      group,
      version,
      kind: o.kind,
      resource: resolved.resource.resource,
      namespace: nsName,
      name: o.metadata.name ?? '',
      labels: labelsOf(o),
      namespaceLabels: isNamespace ? { ...labelsOf(o), 'kubernetes.io/metadata.name': o.metadata.name ?? '' } : nsObject ? labelsOf(nsObject) : undefined,
      namespaceObject: nsObject ? toCel(nsObject) : null,
    };
    const celObject = toCel(o);
    const secrets = secretValuesOf(o);
    const celReq = celRequest(req, user, dryRun);
    for (const p of policyList) {
      const mc = rec(p.spec['matchConstraints']);
      if (!mc) continue;
      if (!matchResources(mc, req, true)) continue;
      for (const b of bindingsByPolicy.get(p.name) ?? []) {
        const bspec = rec(b.object['spec']) ?? {};
        const bmr = rec(bspec['matchResources']);
        if (bmr && !matchResources(bmr, req, false)) continue;
        const actions = arr(bspec['validationActions']).filter((a): a is string => typeof a === 'string');
        const result = evaluateBinding(p, b, bspec, actions, req, celObject, celReq, inv, authorize, user, (expression, budget) => {
          const key = `${p.name}\u0000${expression}`;
          if (costNoted.has(key)) return;
          costNoted.add(key);
          problems.push(problemAt(p.item, `ValidatingAdmissionPolicy "${p.name}": ${budget ? 'the policy ran out of its runtime cost budget' : 'an expression exceeded the runtime cost limit'} (first on ${o.kind} ${nsName ? `${nsName}/` : ''}${o.metadata.name ?? ''}; failurePolicy ${p.failurePolicy} decides): ${JSON.stringify(expression)}`, 'warning'));
        }, (message) => {
          const bname = b.object.metadata.name ?? '';
          const key = `${bname}\u0000${message}`;
          if (paramNoted.has(key)) return;
          paramNoted.add(key);
          const ref = rec(bspec['paramRef']) ?? {};
          const what = `${p.paramKind?.kind ?? 'param'} ${str(ref['name']) ? JSON.stringify(ref['name']) : `selected by ${JSON.stringify(ref['selector'])}`}${str(ref['namespace']) ? ` in namespace ${ref['namespace']}` : ''}`;
          problems.push(problemAt(b, `ValidatingAdmissionPolicyBinding "${bname}" (policy "${p.name}"): paramRef ${what}: ${message} (first for ${o.kind} ${nsName ? `${nsName}/` : ''}${o.metadata.name ?? ''})`, 'warning'));
        });
        if (result) {
          if (secrets.length) {
            for (const v of result.violations) v.message = redact(v.message, secrets);
            for (const [k, vals] of Object.entries(result.auditAnnotations ?? {})) result.auditAnnotations![k] = vals.map((x) => redact(x, secrets));
          }
          const r: VapResult = { object: objectRef(item, inv), policy: p.name, binding: b.object.metadata.name ?? '', ...result };
          ITEMS.set(r, item);
          results.push(r);
        }
      }
    }
  }
  return { policies: policies.size, bindings: bindings.length, objects: evaluated, results, problems: [...inv.problems, ...problems] };
}

function resourceNameFor(apiVersion: string, kind: string): string {
  const group = apiGroupOf(apiVersion);
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return group === '' ? `${kind}.${version}` : `${kind}.${version}.${group}`;
}

function isReferencedParam(o: K8sObject, policies: Map<string, CompiledPolicy>, bindingsByPolicy: Map<string, InventoryObject[]>, inv: Inventory): boolean {
  for (const [name, p] of policies) {
    if (!p.paramKind || p.paramKind.kind !== o.kind || apiGroupOf(p.paramKind.apiVersion) !== apiGroupOf(o.apiVersion)) continue;
    for (const b of bindingsByPolicy.get(name) ?? []) {
      const ref = rec(rec(b.object['spec'])?.['paramRef']);
      if (!ref) continue;
      if (str(ref['namespace']) && str(ref['namespace']) !== (inv.namespaceOf(o) ?? '')) continue;
      if (str(ref['name'])) {
        if (ref['name'] === o.metadata.name) return true;
      } else if (ref['selector'] !== undefined && compileSelector(ref['selector'])(labelsOf(o))) return true;
    }
  }
  return false;
}

type Decision = { kind: 'deny' | 'config' | 'ignored'; v: VapViolation };

function evaluateBinding(
  p: CompiledPolicy,
  b: InventoryObject,
  bspec: Record<string, unknown>,
  actions: string[],
  req: Request,
  celObject: unknown,
  celReq: unknown,
  inv: Inventory,
  authorize: AuthorizeFn,
  user: VapUser,
  onCost: (expression: string, budget: boolean) => void,
  onParams: (message: string) => void = () => {},
): Omit<VapResult, 'object' | 'policy' | 'binding'> | undefined {
  const decisions: Decision[] = [];
  const annotations: Record<string, string[]> = {};
  const configError = (message: string, what: string) => {
    if (p.failurePolicy === 'Ignore') {
      decisions.push({ kind: 'ignored', v: { validation: what, message: `failed to configure binding: ${message}`, reason: 'Invalid', error: true, ignored: true } });
      return;
    }
    decisions.push({ kind: 'config', v: { validation: what, message: `failed to configure binding: ${message}`, reason: 'Invalid', error: true } });
  };
  if (p.configError) {
    if (p.failurePolicy === 'Fail') decisions.push({ kind: 'config', v: { validation: 'spec', message: `failed to configure policy: ${p.configError}`, reason: 'Invalid', error: true } });
    return finish(decisions, actions, annotations);
  }
  // params (generic.CollectParams)
  let params: unknown[] = [null];
  const ref = rec(bspec['paramRef']);
  if (p.paramKind && ref) {
    const pk = p.paramKind;
    const paramNamespaced = !isClusterScopedKind(pk, inv);
    const found = inv.byKind(pk.kind).filter((x) => apiGroupOf(x.object.apiVersion) === apiGroupOf(pk.apiVersion));
    const refNs = str(ref['namespace']) ?? '';
    let scope: InventoryObject[] = found;
    let err: string | undefined;
    if (paramNamespaced) {
      const pns = refNs || (req.group === '' && req.resource === 'namespaces' ? req.namespace : req.namespace);
      if (!pns) err = 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources';
      else scope = found.filter((x) => (inv.namespaceOf(x.object) ?? '') === pns);
    } else if (refNs) err = 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`';
    let list: InventoryObject[] = [];
    if (!err) {
      const name = str(ref['name']);
      if (name) {
        if (ref['selector'] !== undefined) err = 'paramRef.name and paramRef.selector are mutually exclusive';
        else list = scope.filter((x) => x.object.metadata.name === name).slice(0, 1);
      } else if (ref['selector'] !== undefined) {
        const sel = compileSelector(ref['selector']);
        list = scope.filter((x) => sel(labelsOf(x.object)));
      } else err = 'one of name or selector must be provided';
    }
    if (!err && list.length === 0 && ref['parameterNotFoundAction'] === 'Deny') err = 'no params found for policy binding with `Deny` parameterNotFoundAction';
    if (err) {
      onParams(err);
      configError(err, 'paramRef');
      return finish(decisions, actions, annotations);
    }
    params = list.map((x) => toCel(x.object));
    if (params.length === 0) {
      onParams('no params found; parameterNotFoundAction Allow: the binding is skipped');
      return undefined;
    }
  }
  let skipped = 0;
  const authz = new Authorizer(authorize);
  // authorizer.requestResource: the request's own resource, ready for .check(verb)
  (authz as unknown as { requestResource: ResourceCheck }).requestResource = new ResourceCheck(authz, req.group, req.resource, '', req.group === '' && req.resource === 'namespaces' ? '' : req.namespace, req.name);
  const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';
  for (const param of params) {
    // As the API server's CEL filters (k8s.io/apiserver admission/plugin/cel, condition.go and
    // activation.go): each filter (matchConditions, validations, messageExpressions, audit
    // annotations) evaluates its expressions in order against a budget; every expression and every
    // variable runs under its own per-call limit; after each expression the variables it evaluated
    // for the first time (cached for the rest of the filter) are charged, then its own cost; more
    // than what is left stops the filter: an out-of-budget error.
    type Run = { ok: true; value: unknown } | { ok: false; error: string; budget?: true };
    const filter = (budgetLeft: number, withAuthorizer: boolean) => {
      const state = { left: budgetLeft, variablesCost: 0 };
      const base: Record<string, unknown> = { object: celObject, oldObject: null, request: celReq, params: param, namespaceObject: req.namespaceObject, authorizer: withAuthorizer ? authz : null };
      const variables = lazyVariables(p, base, (cost) => (state.variablesCost += cost));
      const vars = { ...base, variables };
      const run = (c: Compiled): Run => {
        if (!c.program) return { ok: false, error: c.error ?? 'compilation failed' };
        const r = evaluateCel(c.program, vars, PER_CALL_LIMIT);
        const composition = state.variablesCost;
        state.variablesCost = 0;
        if (composition > state.left) return (onCost(c.expression, true), { ok: false, error: OUT_OF_BUDGET, budget: true });
        state.left -= composition;
        if (r.cost > state.left) return (onCost(c.expression, true), { ok: false, error: OUT_OF_BUDGET, budget: true });
        state.left -= r.cost;
        if (r.ok) return { ok: true, value: r.value };
        if (r.costExceeded) onCost(c.expression, false);
        return { ok: false, error: `expression '${c.expression}' resulted in error: ${r.error}` };
      };
      return { run, state };
    };
    // matchConditions: all true to go on; false skips the binding; an error follows failurePolicy
    const match = p.matchConditions.length ? filter(RUNTIME_COST_BUDGET, true) : undefined;
    let matched = true;
    for (const m of p.matchConditions) {
      const r = match!.run(m.c);
      if (!r.ok) {
        decisions.push(errorDecision(p, `matchCondition ${m.name}`, `failed to evaluate matchCondition ${JSON.stringify(m.name)}: ${r.error}`));
        matched = false;
        break;
      }
      if (r.value !== true) {
        matched = false;
        break;
      }
    }
    if (!matched) {
      skipped++;
      continue;
    }
    // validations: all of them (an out-of-budget error makes the whole evaluation one error)
    const validation = filter(RUNTIME_COST_BUDGET, true);
    const results: Run[] = [];
    let outOfBudget: string | undefined;
    for (const v of p.validations) {
      const r = validation.run(v.c);
      if (!r.ok && r.budget) {
        outOfBudget = v.c.expression;
        break;
      }
      results.push(r);
    }
    if (outOfBudget !== undefined) {
      decisions.push(errorDecision(p, outOfBudget, OUT_OF_BUDGET));
      continue;
    }
    // messageExpressions: every one (also of validations that pass), in a filter of their own with
    // what the validations left and no authorizer; variables are evaluated afresh
    const message = p.validations.some((v) => v.messageExpression) ? filter(validation.state.left, false) : undefined;
    const messages: Array<Run | undefined> = [];
    let messageOutOfBudget = false;
    for (const v of message ? p.validations : []) {
      if (!v.messageExpression) {
        messages.push(undefined);
        continue;
      }
      const r = message!.run(v.messageExpression);
      if (!r.ok && r.budget) {
        messageOutOfBudget = true;
        break;
      }
      messages.push(r);
    }
    for (const [i, v] of p.validations.entries()) {
      const r = results[i]!;
      if (!r.ok) {
        decisions.push(errorDecision(p, v.c.expression, r.error));
        continue;
      }
      if (messageOutOfBudget) {
        decisions.push(errorDecision(p, v.c.expression, `failed messageExpression: ${OUT_OF_BUDGET}`));
        continue;
      }
      if (r.value === true) continue;
      let text = '';
      const m = messages[i];
      if (m?.ok && typeof m.value === 'string') {
        text = m.value.trim();
        if (text.length > MAX_MESSAGE || text.includes('\n')) text = '';
      }
      if (text === '' && v.message) text = v.message.trim();
      if (text === '') text = `failed expression: ${v.c.expression.trim()}`;
      decisions.push({ kind: 'deny', v: { validation: v.c.expression, message: text, reason: v.reason } });
    }
    // audit annotations: a filter of their own with a full budget, no authorizer
    const audit = p.auditAnnotations.length ? filter(RUNTIME_COST_BUDGET, false) : undefined;
    for (const a of p.auditAnnotations) {
      const r = audit!.run(a.c);
      if (!r.ok && r.budget) {
        decisions.push({ kind: 'config', v: { validation: `auditAnnotation ${a.key}`, message: OUT_OF_BUDGET, reason: 'Invalid', error: true } });
        break;
      }
      if (!r.ok) {
        const d = errorDecision(p, `auditAnnotation ${a.key}`, r.error);
        decisions.push(d.kind === 'deny' ? { ...d, kind: 'config' } : d);
        continue;
      }
      if (r.value === null || r.value === undefined) continue;
      if (typeof r.value !== 'string') {
        decisions.push({ kind: 'config', v: { validation: `auditAnnotation ${a.key}`, message: `valueExpression '${a.c.expression}' resulted in unsupported return type. Return type must be either string or null.`, reason: 'Invalid', error: true } });
        continue;
      }
      const value = r.value.trim().slice(0, 10 * 1024);
      if (value === '') continue;
      const list = (annotations[`${p.name}/${a.key}`] ??= []);
      if (!list.includes(value)) list.push(value);
    }
  }
  void user;
  // every param's matchConditions said no and nothing was decided: the policy does not apply
  if (skipped === params.length && decisions.length === 0) return undefined;
  return finish(decisions, actions, annotations);
}

/** An evaluation error, as the policy's failurePolicy decides it. */
function errorDecision(p: CompiledPolicy, validation: string, message: string): Decision {
  if (p.failurePolicy === 'Ignore') return { kind: 'ignored', v: { validation, message, reason: 'Invalid', error: true, ignored: true } };
  return { kind: 'deny', v: { validation, message, reason: 'Invalid', error: true } };
}

/**
 * `variables` as the API server's composition context makes them: each evaluated on first use
 * under its own per-call limit and cached for the rest of the filter; its cost goes to `charge`
 * (the filter charges it after the expression that used it); an error is the variable's
 * ("composited variable "x" fails to evaluate: ...").
 */
function lazyVariables(p: CompiledPolicy, base: Record<string, unknown>, charge: (cost: number) => void): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  const cache = new Map<string, { ok: true; value: unknown } | { ok: false; error: string }>();
  for (const v of p.variables) {
    Object.defineProperty(variables, v.name, {
      enumerable: true,
      get() {
        let r = cache.get(v.name);
        if (!r) {
          if (!v.c.program) r = { ok: false, error: `composited variable ${JSON.stringify(v.name)} fails to compile: ${v.c.error ?? 'compilation failed'}` };
          else {
            const e = evaluateCel(v.c.program, { ...base, variables }, PER_CALL_LIMIT);
            charge(e.cost);
            r = e.ok ? { ok: true, value: e.value } : { ok: false, error: `composited variable ${JSON.stringify(v.name)} fails to evaluate: ${e.error}` };
          }
          cache.set(v.name, r);
        }
        if (!r.ok) throw new CelRuntimeError(r.error);
        return r.value;
      },
    });
  }
  return variables;
}

function isClusterScopedKind(pk: { apiVersion: string; kind: string }, inv: Inventory): boolean {
  return inv.namespaceOf({ apiVersion: pk.apiVersion, kind: pk.kind, metadata: {} }) === undefined;
}

function finish(decisions: Decision[], actions: string[], annotations: Record<string, string[]>): Omit<VapResult, 'object' | 'policy' | 'binding'> {
  // validation decisions go through the binding's actions; configuration errors deny whatever they are
  const denied = decisions.some((d) => d.kind === 'config' || (d.kind === 'deny' && actions.includes('Deny')));
  return {
    allowed: !denied,
    validationActions: actions,
    violations: decisions.map((d) => d.v),
    ...(Object.keys(annotations).length ? { auditAnnotations: annotations } : {}),
  };
}
