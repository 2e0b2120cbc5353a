/** The plan as text: for a terminal, for a pull request or an issue (Markdown), and as JSON. */
import type { Plan, PlanAction } from './plan.js';

export function formatPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

function where(a: PlanAction): string {
  if (a.harden) return `${a.harden.workload.kind} ${a.harden.workload.namespace}/${a.harden.workload.name}, from observed behaviour${a.harden.pathsClosed !== undefined ? `; closes ${a.harden.pathsClosed} attack path(s)` : ''}`;
  const ns = a.namespaces.length === 0 ? '' : a.namespaces.length <= 3 ? ` in ${a.namespaces.join(', ')}` : ` in ${a.namespaces.length} namespaces`;
  return `${a.findings} finding(s) on ${a.objects} object(s)${ns}`;
}

export function formatPlanPretty(plan: Plan): string {
  const out: string[] = [];
  out.push(`Risk x Effort plan: ${plan.summary.actions} action(s) for ${plan.summary.findings} finding(s)${plan.attackPaths ? ' (risk includes attack paths)' : ''}`);
  for (const p of plan.phases) {
    out.push('', `PHASE ${p.phase}  ${p.name} (${p.actions.length})`);
    if (p.actions.length === 0) out.push('  (nothing)');
    for (const a of p.actions) {
      out.push(`  ${String(a.rank).padStart(2)}. ${a.controlId} ${a.title}  [risk ${a.risk} ${a.riskLevel}, effort ${a.effort}, ${a.severity}]`);
      out.push(`      ${where(a)}${a.onAttackPaths ? `; ${a.onAttackPaths} on attack paths` : ''}${a.fixable ? `; ${a.fixable} with a JSON patch` : ''}`);
      out.push(`      do: ${a.remediation}`);
      for (const e of a.examples) out.push(`      e.g. ${e.object}${e.source ? ` (${e.source}${e.line ? `:${e.line}` : ''})` : ''}: ${e.message}`);
      out.push(`      why here: ${a.reason}`);
    }
  }
  return out.join('\n') + '\n';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push('# kordon: Risk x Effort plan', '');
  out.push(`${plan.summary.actions} action(s) for ${plan.summary.findings} finding(s)${plan.attackPaths ? '; risk includes attack paths' : ''}.`, '');
  out.push('| Phase | Actions |', '| --- | ---: |');
  for (const p of plan.phases) out.push(`| ${p.phase}. ${cell(p.name)} | ${p.actions.length} |`);
  for (const p of plan.phases) {
    if (p.actions.length === 0) continue;
    out.push('', `## Phase ${p.phase}: ${p.name}`, '');
    out.push('| # | Control | Action | Risk | Effort | Findings | Objects | On attack paths |', '| ---: | --- | --- | ---: | --- | ---: | ---: | ---: |');
    for (const a of p.actions) out.push(`| ${a.rank} | ${a.controlId} | ${cell(a.remediation)} | ${a.risk} (${a.riskLevel}) | ${a.effort} | ${a.findings} | ${a.objects} | ${a.onAttackPaths} |`);
    for (const a of p.actions) {
      out.push('', `### ${a.rank}. ${cell(a.title)} (${a.controlId})`, '', `${where(a)}. ${a.reason}.`, '');
      for (const e of a.examples) out.push(`- \`${e.object}\`${e.source ? ` (${e.source}${e.line ? `:${e.line}` : ''})` : ''}: ${cell(e.message)}`);
    }
  }
  return out.join('\n') + '\n';
}
