/** The assessment as text: for a terminal and as Markdown (the 12-month roadmap on one page). JSON is the object itself. */
import { SEVERITIES } from '../engine/types.js';
import type { Assessment, AssessmentAction, AssessmentFinding, DimensionResult } from './assess.js';
import type { Progress } from './progress.js';

/** Findings shown per dimension in the text formats (JSON has all of them). */
export const FINDINGS_SHOWN = 5;

export function scoreText(s: number | null): string {
  return s === null ? 'not judged' : `${s}`;
}

export function deltaText(d: number | null): string {
  return d === null ? 'n/a' : d > 0 ? `+${d}` : d === 0 ? '±0' : `${d}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The worst findings first (severity, then object and control). */
export function worstFindings(d: DimensionResult, n = FINDINGS_SHOWN): AssessmentFinding[] {
  return [...d.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || cmp(a.object, b.object) || cmp(a.controlId, b.controlId)).slice(0, n);
}

function at(f: AssessmentFinding): string {
  return f.source ? ` (${f.source}${f.line ? `:${f.line}` : ''})` : '';
}

export function quarterLabel(q: 1 | 2 | 3 | 4 | null): string {
  return q === null ? 'backlog' : `Q${q}`;
}

function pathsText(a: AssessmentAction): string {
  switch (a.pathsMethod) {
    case 'what-if':
      return `${a.pathsClosed}`;
    case 'not-simulated':
      return 'on paths, not simulated';
    case 'not-on-paths':
      return '0';
    default:
      return 'n/a';
  }
}

function summaryLine(a: Assessment): string {
  return `${a.summary.objects} object(s), ${a.summary.findings} finding(s), ${a.summary.actions} action(s) (${a.summary.personDays} person-days)${!a.attackPaths ? '' : a.summary.attackPaths === 0 ? ', no attack path from an entry point to a crown jewel' : `, ${a.summary.attackPaths} attack path(s) of which the roadmap closes ${a.summary.pathsClosed}`}; capacity ${a.capacity} person-days per quarter`;
}

function after(a: AssessmentAction): string {
  return a.dependsOn.length ? `after ${a.dependsOn.map((d) => d.id).join(', ')}: ${[...new Set(a.dependsOn.map((d) => d.why))].join('; ')}` : '';
}

function progressLines(p: Progress): string[] {
  const out: string[] = [];
  out.push(`actions done: ${p.actionsDone.length}${p.actionsDone.length ? ` (${p.actionsDone.map((x) => x.id).join(', ')})` : ''}`);
  out.push(`actions progressed: ${p.actionsProgressed.length}${p.actionsProgressed.length ? ` (${p.actionsProgressed.map((x) => `${x.id} ${x.objectsBefore}→${x.objectsAfter} objects`).join(', ')})` : ''}`);
  out.push(`new risks: ${p.newRisks.length}${p.newRisks.length ? ` (${p.newRisks.map((x) => `${x.id} risk ${x.risk}`).join(', ')})` : ''}`);
  out.push(`worse than before: ${p.worsened.length}${p.worsened.length ? ` (${p.worsened.map((x) => `${x.id} ${x.objectsBefore}→${x.objectsAfter} objects, risk ${x.riskBefore}→${x.riskAfter}`).join(', ')})` : ''}`);
  out.push(`attack paths: ${p.attackPaths.before} → ${p.attackPaths.after}`);
  return out;
}

export function formatAssessmentPretty(a: Assessment, progress?: Progress): string {
  const out: string[] = [];
  out.push('Kubernetes Health Assessment', summaryLine(a));
  if (progress) {
    out.push('', 'PROGRESS since the previous assessment');
    for (const l of progressLines(progress)) out.push(`  ${l}`);
  }
  out.push('', 'DIMENSIONS (score 0–100; see docs/assess.md)');
  const w = Math.max(...a.dimensions.map((d) => d.name.length));
  for (const d of a.dimensions) {
    const delta = progress?.scores.find((s) => s.name === d.name)?.delta;
    out.push(`  ${d.name.padEnd(w)}  ${scoreText(d.score).padStart(10)}${progress ? ` (${deltaText(delta ?? null)})` : ''}  ${d.findings.length} finding(s) from ${d.controls} control(s), ${d.judged} judgement(s)`);
  }
  for (const d of a.dimensions) {
    out.push('', `${d.name.toUpperCase()}: ${scoreText(d.score)}`);
    if (d.findings.length === 0) out.push('  no findings');
    for (const f of worstFindings(d)) out.push(`  ${f.severity.padEnd(8)} ${f.controlId} ${f.object}${at(f)}: ${f.message}`);
    if (d.findings.length > FINDINGS_SHOWN) out.push(`  … and ${d.findings.length - FINDINGS_SHOWN} more (all of them in -f json)`);
    for (const n of d.notJudged) out.push(`  not judged: ${n.what}: ${n.reason}${n.controls?.length ? ` (${n.controls.join(', ')})` : ''}`);
  }
  out.push('', 'RISK x EFFORT SCORECARD');
  for (const x of a.actions) out.push(`  ${String(x.order).padStart(3)}. ${x.id} ${x.title}  [${x.dimension}; risk ${x.risk} ${x.riskLevel}; effort ${x.effort}, ${x.personDays} day(s); ${x.objects.length} object(s); paths closed ${pathsText(x)}; ${quarterLabel(x.quarter)}]`);
  out.push('', '12-MONTH ROADMAP');
  for (const q of a.quarters) {
    out.push(`  Q${q.quarter} (${q.days}): ${q.actions.length} action(s), ${q.personDays}/${q.capacity} person-days${a.attackPaths ? `, closes ${q.pathsClosed} attack path(s)` : ''}`);
    for (const id of q.actions) {
      const x = a.actions.find((y) => y.id === id)!;
      out.push(`    - ${x.id} ${x.title} (${x.dimension}, ${x.personDays} day(s))${x.overCapacity ? ' [larger than a quarter]' : ''}${x.dependsOn.length ? `; ${after(x)}` : ''}`);
      out.push(`      do: ${x.remediation}`);
    }
    for (const p of q.paths) out.push(`    closes: ${p}`);
    if (q.notSimulated.length) out.push(`    on attack paths but not simulated (no change to apply): ${q.notSimulated.join(', ')}`);
  }
  if (a.backlog.length) {
    out.push('  Backlog (beyond the year):');
    for (const id of a.backlog) {
      const x = a.actions.find((y) => y.id === id)!;
      out.push(`    - ${x.id} ${x.title}: ${x.backlog}`);
    }
  }
  return out.join('\n') + '\n';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;');
}

/** The 12-month roadmap on one page (Markdown). */
export function formatAssessmentMarkdown(a: Assessment, progress?: Progress): string {
  const out: string[] = [];
  out.push('# kordon: Kubernetes Health Assessment', '', `${summaryLine(a)}.`, '');
  if (progress) {
    out.push('## Progress since the previous assessment', '');
    for (const l of progressLines(progress)) out.push(`- ${cell(l)}`);
    out.push('');
  }
  out.push('## Dimensions', '', '| Dimension | Score | Findings | Controls | Judgements | Not judged |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const d of a.dimensions) {
    const delta = progress?.scores.find((s) => s.name === d.name)?.delta;
    out.push(`| ${cell(d.name)} | ${scoreText(d.score)}${progress ? ` (${deltaText(delta ?? null)})` : ''} | ${d.findings.length} | ${d.controls} | ${d.judged} | ${d.notJudged.length} |`);
  }
  out.push('', `Score: ${a.dimensions[0]?.definition ?? ''}`);
  out.push('', '## 12-month roadmap', '', '| Quarter | Days | Actions | Person-days | Attack paths closed |', '| --- | --- | ---: | ---: | ---: |');
  for (const q of a.quarters) out.push(`| Q${q.quarter} | ${q.days} | ${q.actions.length} | ${q.personDays} / ${q.capacity} | ${a.attackPaths ? q.pathsClosed : 'n/a'} |`);
  if (a.backlog.length) out.push(`| backlog | beyond the year | ${a.backlog.length} | ${a.actions.filter((x) => x.quarter === null).reduce((n, x) => n + x.personDays, 0)} | |`);
  for (const q of a.quarters) {
    out.push('', `### Q${q.quarter} (${q.days})`, '');
    if (q.actions.length === 0) out.push('Nothing planned.');
    for (const id of q.actions) {
      const x = a.actions.find((y) => y.id === id)!;
      out.push(`${x.order}. **${cell(x.title)}** (${x.id}; ${x.dimension}; risk ${x.risk}, effort ${x.effort}, ${x.personDays} person-day(s), ${x.objects.length} object(s))${x.overCapacity ? ' — larger than a quarter' : ''}${x.dependsOn.length ? ` — ${cell(after(x))}` : ''}: ${cell(x.remediation)}`);
    }
    if (q.paths.length) out.push('', `Closes: ${q.paths.map((p) => cell(p)).join('; ')}.`);
    if (q.notSimulated.length) out.push('', `On attack paths but not simulated (no change to apply): ${q.notSimulated.join(', ')}.`);
  }
  if (a.backlog.length) {
    out.push('', '### Backlog (beyond the year)', '');
    for (const id of a.backlog) {
      const x = a.actions.find((y) => y.id === id)!;
      out.push(`- **${cell(x.title)}** (${x.id}): ${cell(x.backlog ?? '')}`);
    }
  }
  out.push('', '## Risk x Effort scorecard', '', '| # | Action | Dimension | Risk | Effort | Person-days | Objects | Paths closed | Quarter |', '| ---: | --- | --- | ---: | --- | ---: | ---: | ---: | --- |');
  for (const x of a.actions) out.push(`| ${x.order} | ${cell(x.title)} (${x.id}) | ${cell(x.dimension)} | ${x.risk} (${x.riskLevel}) | ${x.effort} | ${x.personDays} | ${x.objects.length} | ${pathsText(x)} | ${quarterLabel(x.quarter)} |`);
  out.push('', '## Findings and what could not be judged, per dimension');
  for (const d of a.dimensions) {
    out.push('', `### ${cell(d.name)}: ${scoreText(d.score)}`, '');
    if (d.findings.length === 0) out.push('No findings.');
    for (const f of worstFindings(d)) out.push(`- ${f.severity} ${f.controlId} \`${f.object}\`${at(f)}: ${cell(f.message)}`);
    if (d.findings.length > FINDINGS_SHOWN) out.push(`- … and ${d.findings.length - FINDINGS_SHOWN} more (all of them in \`-f json\`)`);
    if (d.notJudged.length) {
      out.push('', 'Not judged:', '');
      for (const n of d.notJudged) out.push(`- ${cell(n.what)}: ${cell(n.reason)}${n.controls?.length ? ` (${n.controls.join(', ')})` : ''}`);
    }
  }
  return out.join('\n') + '\n';
}
