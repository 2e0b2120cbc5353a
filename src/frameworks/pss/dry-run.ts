/**
 * `kordon pss`: a PodSecurity admission dry run over an inventory. For every pod-bearing object:
 * would the pod (or the pods a workload creates) be admitted at the requested level and version,
 * and, where Namespace objects carry `pod-security.kubernetes.io/*` labels, what that namespace's
 * policy would say. Pure: the inventory in, a report out.
 */
import type { Inventory } from '../../inventory/inventory.js';
import { podMetadataOf, podSpecOf } from '../../inventory/podspec.js';
import type { InputProblem, InventoryObject } from '../../inventory/types.js';
import { rec } from './access.js';
import { prepareAsApiServer } from './api-server-defaults.js';
import { evaluatePodSecurity } from './evaluate.js';
import { compareGoStrings } from './format.js';
import type { PssLevel, PssPodMetadata, PssViolation } from './types.js';
import { formatPssVersion, LATEST, parsePssVersion, policyVersionOf, type PssVersion } from './version.js';

export const PSS_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;
type Mode = (typeof MODES)[number];

export interface PssObjectRef {
  kind: string;
  namespace: string;
  name: string;
  file: string;
  line: number;
}

export interface PssPolicyVerdict {
  level: PssLevel;
  version: string;
  allowed: boolean;
  violations: PssViolation[];
}

export interface PssObjectResult {
  object: PssObjectRef;
  allowed: boolean;
  violations: PssViolation[];
  /** The namespace's enforce policy, when its Namespace object carries Pod Security labels. */
  namespaceEnforcement?: PssPolicyVerdict;
  /** The namespace's audit and warn policies, when its labels set them. */
  namespaceAudit?: PssPolicyVerdict;
  namespaceWarn?: PssPolicyVerdict;
}

export interface PssReadiness {
  namespace: string;
  /** The enforce policy the namespace's labels set today (privileged:latest when none). */
  currentEnforce: { level: PssLevel; version: string };
  /** True when nothing would be rejected at restricted:latest. */
  ready: boolean;
  /** Objects whose pods restricted:latest would reject. */
  blocking: Array<{ object: PssObjectRef; violations: PssViolation[] }>;
}

export interface PssDryRunReport {
  level: PssLevel;
  /** The version asked for, as given (`latest` or `v1.N`). */
  version: string;
  /** The policy version whose rules were applied: `latest` (and any newer version) means the newest kordon tracks. */
  policyVersion: string;
  results: PssObjectResult[];
  problems: InputProblem[];
  /** Present when the input carries Namespace objects with Pod Security labels. */
  restrictedReadiness?: PssReadiness[];
}

export interface PssDryRunOptions {
  level: PssLevel;
  /** `latest` or `v1.N` (default latest). */
  version?: PssVersion | string;
  /** Apply the API server's Pod defaulting and create strategy before evaluating Pods (default true). */
  apiServerDefaults?: boolean;
}

interface LevelVersion {
  level: PssLevel;
  version: PssVersion;
}

export interface NamespacePolicy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
  /** Modes whose level label is present. */
  explicit: Set<Mode>;
  errors: string[];
}

const PRIVILEGED_LATEST: LevelVersion = { level: 'privileged', version: LATEST };

function parseLevel(text: string): PssLevel | undefined {
  return text === 'privileged' || text === 'baseline' || text === 'restricted' ? text : undefined;
}

const LEVEL_RANK: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/**
 * The policy a namespace's labels select, with the admission plugin's rules: defaults
 * privileged:latest; an invalid enforce level fails closed (restricted), invalid audit and warn
 * levels fail open (privileged), an invalid version reads as latest; warn follows a stricter
 * enforce level when not set itself.
 */
export function namespacePolicy(labels: Record<string, unknown> | undefined): NamespacePolicy {
  const p: NamespacePolicy = { enforce: { ...PRIVILEGED_LATEST }, audit: { ...PRIVILEGED_LATEST }, warn: { ...PRIVILEGED_LATEST }, explicit: new Set(), errors: [] };
  const get = (key: string): string | undefined => {
    const v = labels?.[PSS_LABEL_PREFIX + key];
    return v === undefined || v === null ? undefined : String(v);
  };
  let hasEnforceLevel = false;
  for (const mode of MODES) {
    const level = get(mode);
    if (level !== undefined) {
      p.explicit.add(mode);
      const parsed = parseLevel(level);
      if (parsed) {
        p[mode].level = parsed;
        if (mode === 'enforce') hasEnforceLevel = true;
      } else {
        p[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
        p.errors.push(`label ${PSS_LABEL_PREFIX}${mode}: invalid value "${level}": must be one of privileged, baseline, restricted`);
      }
    }
    const version = get(`${mode}-version`);
    if (version !== undefined) {
      const parsed = parsePssVersion(version);
      p[mode].version = parsed.ok ? parsed.version : LATEST;
      if (!parsed.ok) p.errors.push(`label ${PSS_LABEL_PREFIX}${mode}-version: invalid value "${version}": ${parsed.error}`);
    }
  }
  if (!p.explicit.has('warn') && hasEnforceLevel && LEVEL_RANK[p.enforce.level] > LEVEL_RANK[p.warn.level]) {
    p.warn.level = p.enforce.level;
    if (get('warn-version') === undefined) p.warn.version = p.enforce.version;
  }
  return p;
}

function hasPssLabels(labels: Record<string, unknown> | undefined): boolean {
  return Object.keys(labels ?? {}).some((k) => k.startsWith(PSS_LABEL_PREFIX));
}

function objectRef(item: InventoryObject, inv: Inventory): PssObjectRef {
  const o = item.object;
  return {
    kind: o.kind,
    namespace: inv.namespaceOf(o) ?? '',
    name: o.metadata.name ?? o.metadata.generateName ?? '<unnamed>',
    file: item.origin.source,
    line: item.origin.line,
  };
}

function verdict(lv: LevelVersion, meta: PssPodMetadata, spec: Record<string, unknown>): PssPolicyVerdict {
  const e = evaluatePodSecurity(meta, spec, lv.level, lv.version);
  return { level: lv.level, version: formatPssVersion(lv.version), allowed: e.allowed, violations: e.violations };
}

function compareRefs(a: PssObjectRef, b: PssObjectRef): number {
  return compareGoStrings(a.file, b.file) || a.line - b.line || compareGoStrings(a.kind, b.kind) || compareGoStrings(a.namespace, b.namespace) || compareGoStrings(a.name, b.name);
}

/** Runs the dry run. Throws on an invalid version string (callers validate user input first). */
export function pssDryRun(inv: Inventory, opts: PssDryRunOptions): PssDryRunReport {
  const requested = opts.version ?? LATEST;
  const parsed = typeof requested === 'string' ? parsePssVersion(requested) : ({ ok: true, version: requested } as const);
  if (!parsed.ok) throw new Error(`invalid Pod Security version "${String(requested)}": ${parsed.error}`);
  const version = parsed.version;
  const applyDefaults = opts.apiServerDefaults ?? true;

  const problems: InputProblem[] = [...inv.problems];
  const policies = new Map<string, NamespacePolicy>();
  for (const ns of inv.byKind('Namespace')) {
    const name = ns.object.metadata.name;
    const labels = rec(ns.object.metadata.labels);
    if (!name || !hasPssLabels(labels)) continue;
    const policy = namespacePolicy(labels);
    policies.set(name, policy);
    for (const error of policy.errors) {
      problems.push({ source: ns.origin.source, line: ns.origin.line, column: ns.origin.column, code: 'config', severity: 'warning', message: `Namespace "${name}": ${error}` });
    }
  }

  const results: PssObjectResult[] = [];
  const restrictedByNamespace = new Map<string, Array<{ object: PssObjectRef; violations: PssViolation[] }>>();
  for (const item of inv.objects) {
    const ps = podSpecOf(item.object);
    if (!ps) continue;
    const ref = objectRef(item, inv);
    const raw = podMetadataOf(item.object) as PssPodMetadata;
    const { podMetadata, podSpec } = applyDefaults ? prepareAsApiServer(item.object.kind, raw, ps.spec) : { podMetadata: raw, podSpec: ps.spec };
    const e = evaluatePodSecurity(podMetadata, podSpec, opts.level, version);
    const result: PssObjectResult = { object: ref, allowed: e.allowed, violations: e.violations };
    const policy = policies.get(ref.namespace);
    if (policy) {
      result.namespaceEnforcement = verdict(policy.enforce, podMetadata, podSpec);
      if (policy.explicit.has('audit')) result.namespaceAudit = verdict(policy.audit, podMetadata, podSpec);
      if (policy.explicit.has('warn')) result.namespaceWarn = verdict(policy.warn, podMetadata, podSpec);
    }
    results.push(result);
    const restricted = evaluatePodSecurity(podMetadata, podSpec, 'restricted', LATEST);
    const list = restrictedByNamespace.get(ref.namespace) ?? [];
    if (!restricted.allowed) list.push({ object: ref, violations: restricted.violations });
    restrictedByNamespace.set(ref.namespace, list);
  }
  results.sort((a, b) => compareRefs(a.object, b.object));

  const report: PssDryRunReport = {
    level: opts.level,
    version: typeof requested === 'string' ? requested : formatPssVersion(version),
    policyVersion: policyVersionOf(version),
    results,
    problems: sortProblems(problems),
  };
  if (policies.size > 0) {
    const namespaces = [...new Set([...restrictedByNamespace.keys(), ...policies.keys()])].sort(compareGoStrings);
    report.restrictedReadiness = namespaces.map((namespace): PssReadiness => {
      const blocking = (restrictedByNamespace.get(namespace) ?? []).sort((a, b) => compareRefs(a.object, b.object));
      const enforce = policies.get(namespace)?.enforce ?? PRIVILEGED_LATEST;
      return { namespace, currentEnforce: { level: enforce.level, version: formatPssVersion(enforce.version) }, ready: blocking.length === 0, blocking };
    });
  }
  return report;
}

function sortProblems(problems: InputProblem[]): InputProblem[] {
  return problems.sort((a, b) => compareGoStrings(a.source, b.source) || (a.line ?? 0) - (b.line ?? 0) || compareGoStrings(a.message, b.message));
}
