/**
 * Markdown for pull-request comments (GitHub, GitLab): a short summary first (the posture
 * score, counts by severity, the top risks, what could not be read), then the findings ordered
 * by severity across the 4C layers (then attack-path priority, control and object) with the
 * layer of each, input problems, exceptions that expired or matched nothing, and the scores
 * per layer and framework.
 *
 * A comment must fit GitHub's limit of 65,536 characters: when the whole report does not, the
 * findings and problems are cut to what fits, and a note says how many were left out and where
 * the full report is. Nothing else is ever cut.
 */
import type { ScanResult } from '../engine/result.js';
import { SCORE_CAP } from '../engine/score.js';
import { FRAMEWORKS, LAYERS, SEVERITIES, type Finding } from '../engine/types.js';
import { exceptionScope, findingLocation, findingNote, formatScore, objectName, problemLocation } from './common.js';
import { controlGroups } from './pretty.js';

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Most findings listed; the rest are counted. Default 500. */
  maxFindings?: number;
  /** Most characters in all (default COMMENT_LIMIT). */
  maxChars?: number;
  /** Where the full report is (a CI artifact's URL, a file name), named when the comment is cut. */
  fullReport?: string;
}

const LAYER_TITLE: Record<string, string> = { cloud: 'Cloud', cluster: 'Cluster', container: 'Container', code: 'Code' };
const FRAMEWORK_TITLE: Record<string, string> = { pss: 'Pod Security Standards', nsa: 'NSA-CISA hardening guide', cis: 'CIS Kubernetes Benchmark', mitre: 'MITRE ATT&CK' };
/** Longest text in one table cell (a message or a path can be long; a comment has little room). */
const MAX_CELL = 400;
/** Most rows of expired or unused exceptions listed. */
const MAX_EXCEPTIONS = 20;
/** Room kept for the note that says what was cut. */
const NOTE_ROOM = 600;

/** Text safe inside a table cell: no pipes or newlines, no HTML. */
export function cell(s: string): string {
  const short = s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
  return short.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  const short = s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
  const clean = short.replace(/\r?\n/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean.replace(/\|/g, '\\|')}${fence === '``' ? ' ' : ''}${fence}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatMarkdown(r: ScanResult, opts: MarkdownOptions = {}): string {
  const limit = opts.maxChars ?? COMMENT_LIMIT;
  const active = r.findings.filter((f) => !f.suppressed);
  // report order, once: severity, priority, control, object
  const ordered = controlGroups(active);
  const maxFindings = Math.min(opts.maxFindings ?? 500, active.length);
  const render = (findings: number, problems: number): string => renderMarkdown(r, ordered, active.length, findings, problems, opts.fullReport);
  let problems = r.problems.length;
  let text = render(maxFindings, problems);
  if (text.length <= limit) return text;
  // the most findings that fit (with at most 100 problems listed), then the most problems
  problems = Math.min(problems, 100);
  const fits = (f: number, p: number): boolean => render(f, p).length <= limit - NOTE_ROOM;
  while (problems > 0 && !fits(0, problems)) problems = Math.floor(problems / 2);
  let lo = 0;
  let hi = maxFindings;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid, problems)) lo = mid;
    else hi = mid - 1;
  }
  let loP = problems;
  let hiP = r.problems.length;
  while (loP < hiP) {
    const mid = Math.ceil((loP + hiP) / 2);
    if (fits(lo, mid)) loP = mid;
    else hiP = mid - 1;
  }
  text = render(lo, loP);
  if (text.length <= limit) return text;
  // a guard that cannot fail: what is left (the summary, exceptions) cut at a line
  const cut = text.lastIndexOf('\n', limit - NOTE_ROOM);
  return `${text.slice(0, cut)}\n\n_**The rest of this report is cut** (a pull-request comment holds ${COMMENT_LIMIT.toLocaleString('en-US')} characters); run the scan with \`--format json\`, \`sarif\` or \`html\` for all of it._\n`;
}

function renderMarkdown(r: ScanResult, groups: ReturnType<typeof controlGroups>, activeCount: number, maxFindings: number, maxProblems: number, fullReport: string | undefined): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`## kordon ${r.tool.version}: ${plural(s.findings, 'finding')}, ${plural(s.objects, 'object')} scanned`);
  out.push('');
  const worst = SEVERITIES.find((x) => s.bySeverity[x] > 0);
  const capped = worst !== undefined && r.scores.overall === SCORE_CAP[worst] ? ` (held at ${SCORE_CAP[worst]}% or below by ${worst} findings)` : '';
  const input = s.problems.errors + s.problems.warnings > 0 ? `input: ${plural(s.problems.errors, 'error')}, ${plural(s.problems.warnings, 'warning')}${s.problems.errors ? ' (some input could not be read; the report covers the rest)' : ''}` : 'input: everything was read';
  out.push(`Posture score **${formatScore(r.scores.overall)}**${capped}; ${s.suppressed} suppressed; ${input}.`);
  if (r.filters) {
    const parts = [
      ...(r.filters.namespaces ? [`namespaces ${r.filters.namespaces.map((n) => code(n)).join(', ')} and the cluster-scoped objects that concern them`] : []),
      ...(r.filters.minSeverity ? [`findings at or above ${r.filters.minSeverity}`] : []),
    ];
    out.push('', `Limited to ${parts.join('; ')}.`);
  }
  out.push('');
  out.push('| Severity | Findings |', '| --- | ---: |');
  for (const sev of SEVERITIES) out.push(`| ${capital(sev)} | ${s.bySeverity[sev]} |`);
  out.push('');
  if (groups.length > 0) {
    out.push('**Top risks**', '');
    for (const g of groups.slice(0, 5)) {
      const f = g.findings[0]!;
      out.push(`- **${capital(g.severity)}** ${g.id} ${cell(f.title)} (${f.layer}): ${plural(g.findings.length, 'finding')}${g.onPaths ? `, on attack paths (priority ${g.priority})` : ''}`);
    }
    out.push('');
  }

  let listed = 0;
  if (activeCount > 0) {
    out.push('### Findings', '');
    for (const sev of SEVERITIES) {
      if (listed >= maxFindings) break;
      const atSev = groups.filter((g) => g.severity === sev);
      if (atSev.length === 0) continue;
      let n = 0;
      for (const g of atSev) n += g.findings.length;
      out.push(`#### ${capital(sev)} (${n})`, '');
      out.push('| Control | Layer | Object | Location | Message |', '| --- | --- | --- | --- | --- |');
      const shown = new Set<string>();
      for (const g of atSev) {
        for (const f of g.findings) {
          if (listed >= maxFindings) break;
          listed++;
          shown.add(g.id);
          out.push(findingRow(f));
        }
      }
      out.push('');
      const remediation = new Map(r.controls.map((c) => [c.id, c.remediation]));
      out.push('<details><summary>Remediation</summary>', '');
      for (const id of [...shown].sort()) out.push(`- **${id}**: ${cell(remediation.get(id) ?? '')}`);
      out.push('', '</details>', '');
    }
  }

  if (r.problems.length > 0 && maxProblems > 0) {
    out.push(`### Input problems (${r.problems.length})`, '');
    out.push('Parts of the input that could not be read (errors) or were read with a caveat (warnings).', '');
    out.push('| Severity | Location | Problem |', '| --- | --- | --- |');
    for (const p of r.problems.slice(0, maxProblems)) out.push(`| ${p.severity} | ${code(problemLocation(p))} | ${cell(p.message)} (${p.code}) |`);
    out.push('');
  }

  const { expired, unused } = r.exceptions;
  if (expired.length + unused.length > 0) {
    out.push('### Exceptions', '');
    out.push('| Status | Source | Controls | Applies to | Reason | Expires |', '| --- | --- | --- | --- | --- | --- |');
    let rows = 0;
    for (const [status, list] of [['expired', expired], ['unused', unused]] as const) {
      for (const e of list) {
        if (rows++ >= MAX_EXCEPTIONS) break;
        out.push(`| ${status} | ${code(e.source)} | ${cell(e.controls.join(', '))} | ${cell(exceptionScope(e.match))} | ${cell(e.reason)} | ${e.expires ?? ''} |`);
      }
    }
    out.push('');
    if (expired.length + unused.length > MAX_EXCEPTIONS) out.push(`_${expired.length + unused.length - MAX_EXCEPTIONS} more exception(s) not listed._`, '');
  }

  out.push('<details><summary>Scores by 4C layer and framework</summary>', '');
  out.push('| 4C layer | Findings | Score |', '| --- | ---: | ---: |');
  for (const l of LAYERS) out.push(`| ${LAYER_TITLE[l]} | ${s.byLayer[l]} | ${formatScore(r.scores.layers[l])} |`);
  out.push('');
  out.push('| Framework | Score |', '| --- | ---: |');
  for (const fw of FRAMEWORKS) out.push(`| ${FRAMEWORK_TITLE[fw]} | ${formatScore(r.scores.frameworks[fw])} |`);
  out.push('', '</details>', '');

  const leftFindings = activeCount - listed;
  const leftProblems = r.problems.length - Math.min(maxProblems, r.problems.length);
  if (leftFindings + leftProblems > 0) {
    const what = [leftFindings ? plural(leftFindings, 'more finding') : '', leftProblems ? plural(leftProblems, 'more input problem') : ''].filter(Boolean).join(' and ');
    const where = fullReport ? `the full report: ${fullReport}` : 'the full report: run the scan with `--format json`, `sarif` or `html`';
    out.push(`_**Not listed here: ${what}** (a pull-request comment holds ${COMMENT_LIMIT.toLocaleString('en-US')} characters); ${cell(where)}._`, '');
  }
  const suppressed = r.findings.length - activeCount;
  if (suppressed > 0) out.push(`_${suppressed} suppressed finding(s) are not listed._`, '');
  return out.join('\n').replace(/\n*$/, '\n');
}

function findingRow(f: Finding): string {
  const loc = findingLocation(f);
  const note = findingNote(f);
  return `| ${f.controlId} | ${f.layer} | ${cell(objectName(f.object))} | ${loc ? code(loc) : ''} | ${cell(note ? `${f.message} (${note})` : f.message)} |`;
}
