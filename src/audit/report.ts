/**
 * Audit reports: pretty, json, jsonl (one line per detection, as they come), sarif, junit,
 * markdown, html. Reports only format. The JSON shape is docs/audit.md's:
 * `{ detections: [ { id, title, severity, falco, mitre, actor, auditIDs, objects, context } ], problems, ... }`.
 */
import type { Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import { VERSION } from '../version.js';
import { escapeXml } from '../report/junit.js';
import { sarifLevel, SARIF_SCHEMA_URI } from '../report/sarif.js';
import type { AuditProblem, ReadStats } from '../sources/audit/read.js';
import type { Detection } from './analyze.js';
import type { AuditObject, DetectionDef } from './detections.js';
import { ALL_DETECTIONS } from './catalog.js';

export const AUDIT_FORMATS = ['pretty', 'json', 'jsonl', 'sarif', 'junit', 'markdown', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditResult {
  detections: Detection[];
  problems: AuditProblem[];
  stats: ReadStats & { judged: number };
  /** Some input could not be read (a problem of severity error). */
  partial: boolean;
  /** With an inventory: where it came from. */
  inventory?: { objects: number; sources: string[] };
}

export function auditJson(r: AuditResult): string {
  return `${JSON.stringify({ schemaVersion: 1, tool: { name: 'kordon', version: VERSION }, kind: 'audit', partial: r.partial, stats: statsJson(r), ...(r.inventory ? { inventory: r.inventory } : {}), detections: r.detections, problems: r.problems }, null, 2)}\n`;
}

function statsJson(r: AuditResult): Record<string, unknown> {
  const s = r.stats;
  const bySev: Record<string, number> = {};
  for (const sev of SEVERITIES) bySev[sev] = r.detections.filter((d) => d.severity === sev).length;
  const skippedBy = Object.fromEntries(Object.entries(s.skippedBy).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { sources: s.sources, events: s.events, judged: s.judged, duplicates: s.duplicates, truncated: s.truncated, skipped: s.skipped, skippedBy, detections: r.detections.length, bySeverity: bySev };
}

/** One JSON line per detection (`type: detection`), then problems and a summary line. */
export function detectionLine(d: Detection): string {
  return `${JSON.stringify({ type: 'detection', ...d })}\n`;
}

export function auditJsonLines(r: AuditResult): string {
  let out = '';
  for (const d of r.detections) out += detectionLine(d);
  for (const p of r.problems) out += `${JSON.stringify({ type: 'problem', ...p })}\n`;
  out += `${JSON.stringify({ type: 'summary', partial: r.partial, ...statsJson(r) })}\n`;
  return out;
}

export function objectLabel(o: AuditObject): string {
  const res = `${o.resource}${o.subresource ? `/${o.subresource}` : ''}`;
  return `${res}${o.namespace ? ` ${o.namespace}/` : ' '}${o.name ?? (o.namespace ? '*' : '')}`.trim();
}

function actorLabel(d: Detection): string {
  return `${d.actor.username}${d.actor.impersonator ? ` (impersonated by ${d.actor.impersonator})` : ''}`;
}

function detailText(d: Detection): string {
  return Object.entries(d.context.details)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

const COLORS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };

export function auditPretty(r: AuditResult, color: boolean): string {
  const c = (s: Severity, t: string): string => (color ? `${COLORS[s]}${t}\x1b[0m` : t);
  const s = r.stats;
  const lines: string[] = [];
  lines.push(`kordon audit: ${s.events} ${s.events === 1 ? 'event' : 'events'} from ${s.sources} ${s.sources === 1 ? 'source' : 'sources'} (${s.judged} judged, ${s.duplicates} duplicates dropped, ${s.truncated} truncated, ${s.skipped} skipped)`);
  const counts = SEVERITIES.map((sev) => [sev, r.detections.filter((d) => d.severity === sev).length] as const).filter(([, n]) => n > 0);
  lines.push(r.detections.length ? `${r.detections.length} ${r.detections.length === 1 ? 'detection' : 'detections'}: ${counts.map(([sev, n]) => `${n} ${sev}`).join(', ')}` : 'no detections');
  if (r.partial) lines.push('computed from partial input: some of it could not be read (see problems)');
  lines.push('');
  for (const d of r.detections) {
    lines.push(`${c(d.severity, d.severity.toUpperCase().padEnd(8))} ${d.id} ${d.title}`);
    lines.push(`  actor: ${actorLabel(d)}${d.context.count > 1 ? `  (${d.context.count} events)` : ''}`);
    if (d.objects.length) lines.push(`  objects: ${d.objects.map(objectLabel).join('; ')}`);
    const det = detailText(d);
    if (det) lines.push(`  ${det}`);
    for (const reason of d.context.reasons) lines.push(`  context: ${reason}`);
    if (d.context.truncated) lines.push('  note: judged on events cut by a size limit');
    lines.push(`  when: ${d.context.firstSeen ?? '?'}${d.context.lastSeen && d.context.lastSeen !== d.context.firstSeen ? ` .. ${d.context.lastSeen}` : ''}  ${d.auditIDs.length > 1 ? 'auditIDs' : 'auditID'}: ${d.auditIDs.slice(0, 3).join(', ')}${d.auditIDs.length > 3 || d.context.count > d.auditIDs.length ? ' ...' : ''}`);
    if (d.falco.length) lines.push(`  falco: ${d.falco.length > 3 ? `${d.falco.slice(0, 3).join(', ')} (+${d.falco.length - 3})` : d.falco.join(', ')}  mitre: ${d.mitre.join(', ')}`);
    else lines.push(`  mitre: ${d.mitre.join(', ')}`);
  }
  if (r.problems.length) {
    lines.push('', `problems (${r.problems.length}):`);
    for (const p of r.problems.slice(0, 20)) lines.push(`  ${p.severity} ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    if (r.problems.length > 20) lines.push(`  ... ${r.problems.length - 20} more (--format json lists all)`);
  }
  return `${lines.join('\n')}\n`;
}

export function auditMarkdown(r: AuditResult): string {
  const esc = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`## kordon audit`, '', `${r.stats.events} events, ${r.detections.length} detections${r.partial ? ' (computed from partial input)' : ''}.`, ''];
  if (r.detections.length) {
    lines.push('| severity | id | detection | actor | objects | events | context |', '|---|---|---|---|---|---|---|');
    const max = 200;
    for (const d of r.detections.slice(0, max)) {
      lines.push(`| ${d.severity} | ${d.id} | ${esc(d.title)} | ${esc(actorLabel(d))} | ${esc(d.objects.map(objectLabel).join('; '))} | ${d.context.count} | ${esc([detailText(d), ...d.context.reasons].filter(Boolean).join('; ').slice(0, 300))} |`);
    }
    if (r.detections.length > max) lines.push('', `${r.detections.length - max} more detections: see the JSON report.`);
  }
  if (r.problems.length) {
    lines.push('', `### Problems (${r.problems.length})`, '');
    for (const p of r.problems.slice(0, 50)) lines.push(`- ${p.severity} \`${esc(p.source)}${p.line ? `:${p.line}` : ''}\`: ${esc(p.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function auditJunit(r: AuditResult): string {
  const byId = new Map<string, Detection[]>();
  for (const d of r.detections) byId.set(d.id, [...(byId.get(d.id) ?? []), d]);
  const suites: string[] = [];
  for (const def of ALL_DETECTIONS) {
    const ds = byId.get(def.id) ?? [];
    const cases = ds.length
      ? ds.map((d) => `    <testcase classname="${escapeXml(def.id)}" name="${escapeXml(`${actorLabel(d)} ${d.objects.map(objectLabel).join('; ')}`)}"><failure type="${d.severity}" message="${escapeXml(def.title)}">${escapeXml(`${detailText(d)}\nauditIDs: ${d.auditIDs.join(', ')}${d.context.reasons.length ? `\ncontext: ${d.context.reasons.join('; ')}` : ''}`)}</failure></testcase>`)
      : [`    <testcase classname="${escapeXml(def.id)}" name="no detection"/>`];
    suites.push(`  <testsuite name="${escapeXml(`${def.id} ${def.title}`)}" tests="${cases.length}" failures="${ds.length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (r.problems.length) {
    const cases = r.problems.map((p) => `    <testcase classname="input" name="${escapeXml(`${p.source}${p.line ? `:${p.line}` : ''}`)}">${p.severity === 'error' ? `<failure type="${p.code}" message="${escapeXml(p.message)}"/>` : `<skipped message="${escapeXml(p.message)}"/>`}</testcase>`);
    suites.push(`  <testsuite name="input" tests="${cases.length}" failures="${r.problems.filter((p) => p.severity === 'error').length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kordon audit">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function auditSarif(r: AuditResult): string {
  const rules = ALL_DETECTIONS.map((d: DetectionDef) => ({
    id: d.id,
    name: d.name,
    shortDescription: { text: d.title },
    fullDescription: { text: d.description },
    defaultConfiguration: { level: sarifLevel(d.severity) },
    properties: { tags: ['kubernetes', 'audit', ...d.mitre.map((m) => `mitre:${m}`)], falco: d.falco, 'security-severity': securitySeverity(d.severity) },
  }));
  const index = new Map(ALL_DETECTIONS.map((d, i) => [d.id, i]));
  const results = r.detections.map((d) => {
    return {
      ruleId: d.id,
      ruleIndex: index.get(d.id) ?? 0,
      level: sarifLevel(d.severity),
      message: { text: `${d.title}: ${actorLabel(d)}${d.objects.length ? ` on ${d.objects.map(objectLabel).join('; ')}` : ''}${detailText(d) ? ` (${detailText(d)})` : ''}` },
      logicalLocations: d.objects.length ? d.objects.map((o) => ({ name: o.name ?? o.resource, fullyQualifiedName: objectLabel(o), kind: 'resource' })) : [{ name: d.actor.username, kind: 'module' }],
      partialFingerprints: { 'kordonAudit/v1': `${d.id}|${d.actor.username}|${d.objects.map(objectLabel).join(';')}` },
      properties: { severity: d.severity, actor: d.actor, auditIDs: d.auditIDs, falco: d.falco, mitre: d.mitre, context: d.context },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kordon', version: VERSION, semanticVersion: VERSION, informationUri: 'https://github.com/kordon/kordon', rules } },
      results,
      invocations: [{ executionSuccessful: !r.partial, toolExecutionNotifications: r.problems.map((p) => ({ level: p.severity === 'error' ? 'error' : 'warning', message: { text: `${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}` } })) }],
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function securitySeverity(s: Severity): string {
  return s === 'critical' ? '9.5' : s === 'high' ? '8.0' : s === 'medium' ? '5.5' : s === 'low' ? '3.0' : '0.0';
}

export function auditHtml(r: AuditResult): string {
  const h = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const rows = r.detections
    .map((d) => `<tr class="${d.severity}"><td>${d.severity}</td><td>${h(d.id)}</td><td>${h(d.title)}</td><td>${h(actorLabel(d))}</td><td>${h(d.objects.map(objectLabel).join('; '))}</td><td>${d.context.count}</td><td>${h([detailText(d), ...d.context.reasons].filter(Boolean).join('; '))}</td><td>${h(d.falco.join(', '))}</td><td>${h(d.mitre.join(', '))}</td></tr>`)
    .join('\n');
  const probs = r.problems.map((p) => `<li>${h(p.severity)} <code>${h(`${p.source}${p.line ? `:${p.line}` : ''}`)}</code>: ${h(p.message)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kordon audit</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}
tr.critical td:first-child{background:#b00;color:#fff}tr.high td:first-child{background:#e55;color:#fff}tr.medium td:first-child{background:#fc5}tr.low td:first-child{background:#9cf}</style></head>
<body><h1>kordon audit</h1>
<p>${r.stats.events} events from ${r.stats.sources} sources; ${r.stats.duplicates} duplicates dropped; ${r.stats.truncated} truncated; ${r.stats.skipped} skipped. ${r.detections.length} detections.${r.partial ? ' <strong>Computed from partial input.</strong>' : ''}</p>
<table><thead><tr><th>severity</th><th>id</th><th>detection</th><th>actor</th><th>objects</th><th>events</th><th>context</th><th>falco</th><th>mitre</th></tr></thead><tbody>
${rows}
</tbody></table>
${probs ? `<h2>Problems</h2><ul>${probs}</ul>` : ''}
</body></html>
`;
}

export function formatAudit(r: AuditResult, format: AuditFormat, color: boolean): string {
  switch (format) {
    case 'pretty':
      return auditPretty(r, color);
    case 'json':
      return auditJson(r);
    case 'jsonl':
      return auditJsonLines(r);
    case 'sarif':
      return auditSarif(r);
    case 'junit':
      return auditJunit(r);
    case 'markdown':
      return auditMarkdown(r);
    case 'html':
      return auditHtml(r);
  }
}
