/**
 * Markdown for pull-request comments (GitHub, GitLab): a summary table, findings grouped by 4C
 * layer then severity, input problems, and exceptions that expired or matched nothing.
 */
import type { ScanResult } from '../engine/result.js';
import { FRAMEWORKS, LAYERS, SEVERITIES, type Finding } from '../engine/types.js';
import { exceptionScope, findingLocation, findingNote, formatScore, objectName, problemLocation } from './common.js';

export interface MarkdownOptions {
  /** Most findings listed (comments have a size limit); the rest are counted. Default 500. */
  maxFindings?: number;
}

const LAYER_TITLE: Record<string, string> = { cloud: 'Cloud', cluster: 'Cluster', container: 'Container', code: 'Code' };
const FRAMEWORK_TITLE: Record<string, string> = { pss: 'Pod Security Standards', nsa: 'NSA-CISA hardening guide', cis: 'CIS Kubernetes Benchmark', mitre: 'MITRE ATT&CK' };

/** Text safe inside a table cell: no pipes or newlines, no HTML. */
export function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  const clean = s.replace(/\r?\n/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean.replace(/\|/g, '\\|')}${fence === '``' ? ' ' : ''}${fence}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatMarkdown(r: ScanResult, opts: MarkdownOptions = {}): string {
  const max = opts.maxFindings ?? 500;
  const s = r.summary;
  const out: string[] = [];
  const active = r.findings.filter((f) => !f.suppressed);
  out.push(`## kordon ${r.tool.version}: ${s.findings} finding${s.findings === 1 ? '' : 's'} in ${s.objects} object${s.objects === 1 ? '' : 's'}`);
  out.push('');
  const problemsText = s.problems.errors + s.problems.warnings > 0 ? `, ${s.problems.errors} input error(s), ${s.problems.warnings} input warning(s)` : '';
  out.push(`Posture score **${formatScore(r.scores.overall)}**; ${s.suppressed} suppressed${problemsText}.`);
  out.push('');
  out.push('| Severity | Findings |', '| --- | ---: |');
  for (const sev of SEVERITIES) out.push(`| ${capital(sev)} | ${s.bySeverity[sev]} |`);
  out.push('');
  out.push('| 4C layer | Findings | Score |', '| --- | ---: | ---: |');
  for (const l of LAYERS) out.push(`| ${LAYER_TITLE[l]} | ${s.byLayer[l]} | ${formatScore(r.scores.layers[l])} |`);
  out.push('');
  out.push('| Framework | Score |', '| --- | ---: |');
  for (const fw of FRAMEWORKS) out.push(`| ${FRAMEWORK_TITLE[fw]} | ${formatScore(r.scores.frameworks[fw])} |`);
  out.push('');

  if (active.length > 0) {
    out.push('### Findings', '');
    let listed = 0;
    const remediation = new Map(r.controls.map((c) => [c.id, c.remediation]));
    for (const layer of LAYERS) {
      const inLayer = active.filter((f) => f.layer === layer);
      if (inLayer.length === 0 || listed >= max) continue;
      out.push(`#### ${LAYER_TITLE[layer]} (${inLayer.length})`, '');
      for (const sev of SEVERITIES) {
        const fs = inLayer.filter((f) => f.severity === sev);
        if (fs.length === 0 || listed >= max) continue;
        out.push(`**${capital(sev)}** (${fs.length})`, '');
        out.push('| Control | Object | Location | Message |', '| --- | --- | --- | --- |');
        for (const f of fs) {
          if (listed >= max) break;
          listed++;
          out.push(findingRow(f));
        }
        out.push('');
        const controls = [...new Set(fs.map((f) => f.controlId))].sort();
        out.push('<details><summary>Remediation</summary>', '');
        for (const id of controls) out.push(`- **${id}**: ${cell(remediation.get(id) ?? '')}`);
        out.push('', '</details>', '');
      }
    }
    if (listed < active.length) out.push(`_${active.length - listed} more finding(s) not listed; see the JSON or SARIF report._`, '');
  }

  if (r.problems.length > 0) {
    out.push(`### Input problems (${r.problems.length})`, '');
    out.push('Parts of the input that could not be read (errors) or were read with a caveat (warnings).', '');
    out.push('| Severity | Location | Problem |', '| --- | --- | --- |');
    for (const p of r.problems) out.push(`| ${p.severity} | ${code(problemLocation(p))} | ${cell(p.message)} (${p.code}) |`);
    out.push('');
  }

  const { expired, unused } = r.exceptions;
  if (expired.length + unused.length > 0) {
    out.push('### Exceptions', '');
    out.push('| Status | Source | Controls | Applies to | Reason | Expires |', '| --- | --- | --- | --- | --- | --- |');
    for (const [status, list] of [['expired', expired], ['unused', unused]] as const) {
      for (const e of list) {
        out.push(`| ${status} | ${code(e.source)} | ${cell(e.controls.join(', '))} | ${cell(exceptionScope(e.match))} | ${cell(e.reason)} | ${e.expires ?? ''} |`);
      }
    }
    out.push('');
  }

  const suppressed = r.findings.length - active.length;
  if (suppressed > 0) out.push(`_${suppressed} suppressed finding(s) are not listed._`, '');
  return out.join('\n').replace(/\n*$/, '\n');
}

function findingRow(f: Finding): string {
  const loc = findingLocation(f);
  const note = findingNote(f);
  return `| ${f.controlId} | ${cell(objectName(f.object))} | ${loc ? code(loc) : ''} | ${cell(note ? `${f.message} (${note})` : f.message)} |`;
}
