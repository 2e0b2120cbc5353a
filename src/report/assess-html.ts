/**
 * The assessment as one self-contained HTML page (`kordon assess -f html`): the dimensions'
 * scores, the Risk x Effort scorecard (inline SVG, src/report/scorecard.ts) with its table, the
 * 12-month roadmap as four 90-day columns, and what could not be judged. No script and no
 * network: static markup that prints on one page per section. Deterministic.
 */
import type { Assessment } from '../assess/assess.js';
import { deltaText, FINDINGS_SHOWN, quarterLabel, scoreText, worstFindings } from '../assess/format.js';
import type { Progress } from '../assess/progress.js';
import { DIMENSION_COLORS, scorecardSvg } from './scorecard.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f7f9}
header{background:#1f2937;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#cbd5e1}
main{padding:16px 24px;max-width:1400px}section{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:12px 16px;margin:0 0 16px}
h2{font-size:17px;margin:4px 0 10px}h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}
td.n{text-align:right}.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px;border:1px solid #1f2328}
.roadmap{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}.quarter{border:1px solid #d8dee4;border-radius:6px;padding:8px 10px;background:#fbfcfd}
.quarter h3{margin:0 0 4px}.quarter ol{padding-left:20px;margin:6px 0;font-size:13px}.quarter li{margin:0 0 6px}.muted{color:#57606a;font-size:12px}
.score{font-weight:600}.problems li{font-family:ui-monospace,monospace;font-size:12px}
@media print{body{background:#fff}section{break-inside:avoid;border:none}}
`;

/**
 * `inputNotes`: what the inputs lacked, as the text formats say it (src/cli/partial-input.ts
 * problemLines: "computed from partial input: ..." first, then the problems and unread resources).
 */
export function formatAssessmentHtml(a: Assessment, progress?: Progress, inputNotes: readonly string[] = []): string {
  const byId = new Map(a.actions.map((x) => [x.id, x]));
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>kordon: Kubernetes Health Assessment</title>',
    `<style>${CSS}</style></head><body>`,
    `<header><h1>Kubernetes Health Assessment</h1><p>${esc(a.sources.join(', '))}: ${a.summary.objects} object(s), ${a.summary.findings} finding(s), ${a.summary.actions} action(s), ${a.summary.personDays} person-days${!a.attackPaths ? '' : a.summary.attackPaths === 0 ? ', no attack path from an entry point to a crown jewel' : `, ${a.summary.attackPaths} attack path(s), ${a.summary.pathsClosed} closed by the roadmap`}; capacity ${a.capacity} person-days per quarter</p></header>`,
    '<main>',
  );
  if (inputNotes.length) {
    const [head, ...rest] = inputNotes;
    out.push(`<section id="problems"><h2>${esc(head!)}</h2><ul class="problems">`);
    for (const l of rest) out.push(`<li>${esc(l.trim())}</li>`);
    out.push('</ul></section>');
  }
  if (progress) {
    out.push('<section id="progress"><h2>Progress since the previous assessment</h2><ul>');
    out.push(`<li>Actions done: ${progress.actionsDone.length}${progress.actionsDone.map((x) => ` ${esc(x.id)} ${esc(x.title)}`).join(';')}</li>`);
    out.push(`<li>Actions progressed: ${progress.actionsProgressed.length}${progress.actionsProgressed.map((x) => ` ${esc(x.id)} (${x.objectsBefore}→${x.objectsAfter} objects)`).join(';')}</li>`);
    out.push(`<li>New risks: ${progress.newRisks.length}${progress.newRisks.map((x) => ` ${esc(x.id)} ${esc(x.title)} (risk ${x.risk})`).join(';')}</li>`);
    out.push(`<li>Worse than before: ${progress.worsened.length}${progress.worsened.map((x) => ` ${esc(x.id)} (${x.objectsBefore}→${x.objectsAfter} objects, risk ${x.riskBefore}→${x.riskAfter})`).join(';')}</li>`);
    out.push(`<li>Attack paths: ${progress.attackPaths.before} → ${progress.attackPaths.after}</li></ul></section>`);
  }
  out.push('<section id="dimensions"><h2>Dimensions</h2><table><thead><tr><th>Dimension</th><th>Score</th>' + (progress ? '<th>Change</th>' : '') + '<th>Findings</th><th>Controls</th><th>Judgements</th><th>Not judged</th></tr></thead><tbody>');
  for (const d of a.dimensions) {
    const delta = progress?.scores.find((s) => s.name === d.name)?.delta ?? null;
    out.push(`<tr class="dimension"><td><span class="dot" style="background:${DIMENSION_COLORS[d.name]}"></span>${esc(d.name)}</td><td class="n score">${scoreText(d.score)}</td>${progress ? `<td class="n">${deltaText(delta)}</td>` : ''}<td class="n">${d.findings.length}</td><td class="n">${d.controls}</td><td class="n">${d.judged}</td><td class="n">${d.notJudged.length}</td></tr>`);
  }
  out.push(`</tbody></table><p class="muted">Score: ${esc(a.dimensions[0]?.definition ?? '')}</p></section>`);
  out.push('<section id="scorecard-section"><h2>Risk x Effort scorecard</h2>', scorecardSvg(a));
  out.push('<table id="scorecard-table"><thead><tr><th>#</th><th>Action</th><th>Dimension</th><th>Risk</th><th>Effort</th><th>Person-days</th><th>Objects</th><th>Paths closed</th><th>Quarter</th></tr></thead><tbody>');
  for (const x of a.actions) {
    const paths = x.pathsMethod === 'what-if' ? String(x.pathsClosed) : x.pathsMethod === 'not-simulated' ? 'on paths, not simulated' : x.pathsMethod === 'not-on-paths' ? '0' : 'n/a';
    out.push(`<tr><td class="n">${x.order}</td><td>${esc(x.title)} <span class="muted">${esc(x.id)}</span></td><td><span class="dot" style="background:${DIMENSION_COLORS[x.dimension]}"></span>${esc(x.dimension)}</td><td class="n">${x.risk} (${x.riskLevel})</td><td>${x.effort}</td><td class="n">${x.personDays}</td><td class="n">${x.objects.length}</td><td class="n">${paths}</td><td>${quarterLabel(x.quarter)}</td></tr>`);
  }
  out.push('</tbody></table></section>');
  out.push('<section id="roadmap"><h2>12-month roadmap</h2><div class="roadmap">');
  for (const q of a.quarters) {
    out.push(`<div class="quarter" data-quarter="${q.quarter}"><h3>Q${q.quarter}</h3><div class="muted">${esc(q.days)}: ${q.actions.length} action(s), ${q.personDays} / ${q.capacity} person-days${a.attackPaths ? `, closes ${q.pathsClosed} attack path(s)` : ''}</div><ol>`);
    for (const id of q.actions) {
      const x = byId.get(id)!;
      out.push(`<li value="${x.order}"><span class="dot" style="background:${DIMENSION_COLORS[x.dimension]}"></span><b>${esc(x.title)}</b> <span class="muted">${esc(x.id)}; risk ${x.risk}; ${x.personDays} day(s)${x.overCapacity ? '; larger than a quarter' : ''}${x.dependsOn.length ? `; after ${esc(x.dependsOn.map((d) => d.id).join(', '))}` : ''}</span></li>`);
    }
    out.push('</ol>');
    if (q.paths.length) out.push(`<div class="muted">Closes: ${q.paths.map(esc).join('; ')}</div>`);
    if (q.notSimulated.length) out.push(`<div class="muted">On attack paths, not simulated: ${esc(q.notSimulated.join(', '))}</div>`);
    out.push('</div>');
  }
  out.push('</div>');
  if (a.backlog.length) {
    out.push('<h3>Backlog (beyond the year)</h3><ul>');
    for (const id of a.backlog) out.push(`<li>${esc(byId.get(id)!.title)} <span class="muted">${esc(id)}: ${esc(byId.get(id)!.backlog ?? '')}</span></li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  out.push('<section id="details"><h2>Findings and what could not be judged</h2>');
  for (const d of a.dimensions) {
    out.push(`<h3><span class="dot" style="background:${DIMENSION_COLORS[d.name]}"></span>${esc(d.name)}: ${scoreText(d.score)}</h3><ul>`);
    if (d.findings.length === 0) out.push('<li>No findings.</li>');
    for (const f of worstFindings(d)) out.push(`<li>${f.severity} ${esc(f.controlId)} <code>${esc(f.object)}</code>${f.source ? ` <span class="muted">${esc(f.source)}${f.line ? `:${f.line}` : ''}</span>` : ''}: ${esc(f.message)}</li>`);
    if (d.findings.length > FINDINGS_SHOWN) out.push(`<li class="muted">… and ${d.findings.length - FINDINGS_SHOWN} more (all of them in -f json)</li>`);
    out.push('</ul>');
    if (d.notJudged.length) {
      out.push('<p class="muted">Not judged:</p><ul class="not-judged">');
      for (const n of d.notJudged) out.push(`<li>${esc(n.what)}: ${esc(n.reason)}${n.controls?.length ? ` (${esc(n.controls.join(', '))})` : ''}</li>`);
      out.push('</ul>');
    }
  }
  out.push('</section></main></body></html>');
  return out.join('\n') + '\n';
}
