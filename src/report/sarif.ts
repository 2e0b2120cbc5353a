/**
 * SARIF 2.1.0 (OASIS): what GitHub code scanning, Azure DevOps and most IDEs read. One run; a
 * rule per control that ran; a result per finding (suppressed ones carry `suppressions`); input
 * problems become tool execution notifications. Deterministic: no timestamps, stable order.
 */
import type { ScanResult } from '../engine/result.js';
import type { Control, Finding, Severity, Suppression } from '../engine/types.js';
import type { InputProblem } from '../inventory/types.js';
import { controlsById, findingFingerprint, objectName, problemLocation } from './common.js';
import { jsonChunks, LazyArray } from './json-stream.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const KORDON_INFORMATION_URI = 'https://kordon.dev';
/** The base every relative artifact URI is resolved against: the directory kordon ran in. */
export const SOURCE_ROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub reads `security-severity` (a number as a string, 0.0-10.0) to rank alerts. */
const SECURITY_SEVERITY: Partial<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export function sarifLevel(s: Severity): SarifLevel {
  return LEVEL[s];
}

/**
 * A relative, forward-slash, percent-encoded URI for a source path, or undefined when it is no
 * file. An absolute path inside `root` (the directory kordon runs from) is made relative to it,
 * as SARIF readers (GitHub code scanning) want; any other absolute path is a `file://` URI.
 */
export function artifactUri(source: string, root?: string): { uri: string; uriBaseId?: string } | undefined {
  // many findings and problems name the same file: each is worked out once
  const key = `${root ?? ''}\u0000${source}`;
  const known = URI_CACHE.get(key);
  if (known !== undefined || URI_CACHE.has(key)) return known && { ...known };
  const uri = computeArtifactUri(source, root);
  if (URI_CACHE.size >= 10_000) URI_CACHE.clear();
  URI_CACHE.set(key, uri);
  return uri && { ...uri };
}

const URI_CACHE = new Map<string, { uri: string; uriBaseId?: string } | undefined>();

function computeArtifactUri(source: string, root?: string): { uri: string; uriBaseId?: string } | undefined {
  if (source === '' || source === '<stdin>' || /^(cluster|snapshot):/.test(source)) return undefined;
  let p = source.replace(/\\/g, '/');
  const windowsDrive = /^[A-Za-z]:\//.test(p);
  if (p.startsWith('/') || windowsDrive) {
    const base = root?.replace(/\\/g, '/').replace(/\/+$/, '');
    if (base && p.startsWith(base + '/') && p.length > base.length + 1) return { uri: encodePath(p.slice(base.length + 1)), uriBaseId: SOURCE_ROOT };
    return { uri: 'file://' + (windowsDrive ? '/' : '') + encodePath(p) };
  }
  while (p.startsWith('./')) p = p.slice(2);
  return { uri: encodePath(p), uriBaseId: SOURCE_ROOT };
}

function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/')
    .replace(/^([A-Za-z])%3A/, '$1:');
}

/** Where a finding's text lives. Kustomize output has no file of its own: point at the directory. */
function physicalLocation(source: string, via: string | undefined, line: number | undefined, column: number | undefined, root: string): object | undefined {
  if (via === 'cluster' || via === 'snapshot' || via === 'stdin') return undefined;
  if (source.endsWith('<kustomize build>')) {
    const dir = source.replace(/[\\/]?<kustomize build>$/, '');
    const loc = artifactUri(dir === '' ? '.' : dir, root);
    return loc ? { artifactLocation: { ...loc, description: { text: 'kustomize build output' } } } : undefined;
  }
  const loc = artifactUri(source, root);
  if (!loc) return undefined;
  return {
    artifactLocation: loc,
    ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
  };
}

function rule(c: Control): object {
  const refs = Object.entries(c.frameworks)
    .filter(([, list]) => Array.isArray(list) && list.length > 0)
    .flatMap(([fw, list]) => (list as string[]).map((ref) => `${fw}:${ref}`));
  const securitySeverity = SECURITY_SEVERITY[c.severity];
  const markdown = [
    `**${c.title}** (${c.id}, ${c.severity})`,
    '',
    c.description,
    '',
    `**Remediation:** ${c.remediation}`,
    ...(refs.length ? ['', `**Frameworks:** ${refs.join(', ')}`] : []),
  ].join('\n');
  return {
    id: c.id,
    name: c.name,
    ...(c.aliases?.length ? { deprecatedIds: [...c.aliases] } : {}),
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    help: { text: `${c.description}\n\nRemediation: ${c.remediation}`, markdown },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      tags: ['security', 'kubernetes', `layer:${c.layer}`, ...(c.guard ? [`guard:${c.guard}`] : []), ...refs],
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      precision: 'high',
      'problem.severity': c.severity === 'critical' || c.severity === 'high' ? 'error' : c.severity === 'medium' ? 'warning' : 'recommendation',
      layer: c.layer,
      severity: c.severity,
      effort: c.effort,
      phases: [...c.phases],
      frameworks: c.frameworks,
    },
  };
}

function suppression(s: Suppression): object {
  const props = { by: s.by, ...(s.owner ? { owner: s.owner } : {}), ...(s.expires ? { expires: s.expires } : {}) };
  return { kind: s.by === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification: s.reason, properties: props };
}

function result(f: Finding, ruleIndex: number, root: string): object {
  const phys = f.location ? physicalLocation(f.location.source, f.via, f.location.line, f.location.column, root) : undefined;
  const logical = f.object
    ? [{
        kind: 'resource',
        name: f.object.name,
        fullyQualifiedName: f.object.id,
        properties: { apiVersion: f.object.apiVersion, kind: f.object.kind, ...(f.object.namespace !== undefined ? { namespace: f.object.namespace } : {}), name: f.object.name },
      }]
    : [{ kind: 'resource', name: 'cluster', fullyQualifiedName: 'cluster' }];
  return {
    ruleId: f.controlId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: f.location?.renderedFrom !== undefined ? `${f.message} (rendered from ${f.location.renderedFrom}${f.via ? ` by ${f.via}` : ''})` : f.message },
    locations: [{ ...(phys ? { physicalLocation: phys } : {}), logicalLocations: logical }],
    partialFingerprints: { 'kordonFinding/v1': findingFingerprint(f) },
    ...(f.suppressed ? { suppressions: [suppression(f.suppressed)] } : {}),
    properties: {
      layer: f.layer,
      severity: f.severity,
      object: objectName(f.object),
      pointer: f.pointer,
      ...(f.container !== undefined ? { container: f.container } : {}),
      ...(f.via ? { via: f.via } : {}),
      ...(f.location?.renderedFrom !== undefined ? { renderedFrom: f.location.renderedFrom } : {}),
      ...(f.pods ? { pods: f.pods } : {}),
      ...(f.related ? { related: f.related } : {}),
      // A JSON patch against the object, not a text edit: SARIF `fixes` need text replacements.
      ...(f.fix ? { jsonPatch: f.fix } : {}),
    },
  };
}

function notification(p: InputProblem, root: string): object {
  const phys = physicalLocation(p.source, p.source === '<stdin>' ? 'stdin' : undefined, p.line, p.column, root);
  return {
    level: p.severity,
    message: { text: `${problemLocation(p)}: ${p.message}` },
    descriptor: { id: p.code },
    ...(phys ? { locations: [{ physicalLocation: phys }] } : {}),
    properties: { source: p.source, code: p.code, ...(p.line ? { line: p.line } : {}), ...(p.column ? { column: p.column } : {}), ...(p.documentIndex !== undefined ? { documentIndex: p.documentIndex } : {}) },
  };
}

/** `root`: the directory relative paths are relative to (default: where kordon runs). */
export function toSarif(r: ScanResult, root: string = process.cwd()): object {
  const controls = controlsById(r);
  const index = new Map(controls.map((c, i) => [c.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: r.tool.name,
            version: r.tool.version,
            semanticVersion: r.tool.version,
            informationUri: KORDON_INFORMATION_URI,
            rules: controls.map(rule),
          },
        },
        invocations: [
          {
            executionSuccessful: r.summary.problems.errors === 0,
            // made a batch at a time as they are written: a million problems never exist as objects at once
            toolExecutionNotifications: new LazyArray(r.problems.length, (i) => notification(r.problems[i]!, root)),
          },
        ],
        originalUriBaseIds: { [SOURCE_ROOT]: { description: { text: 'The directory kordon was run from; relative paths in this log are relative to it.' } } },
        columnKind: 'utf16CodeUnits',
        results: new LazyArray(r.findings.length, (i) => result(r.findings[i]!, index.get(r.findings[i]!.controlId) ?? -1, root)),
        properties: { schemaVersion: r.schemaVersion, sources: r.sources, summary: r.summary, scores: r.scores },
      },
    ],
  };
}

export function formatSarif(r: ScanResult): string {
  return JSON.stringify(toSarif(r), null, 2) + '\n';
}

/** The same text as formatSarif, in pieces (results and notifications are made as they are written). */
export function* sarifChunks(r: ScanResult): Generator<string> {
  yield* jsonChunks(toSarif(r));
  yield '\n';
}
