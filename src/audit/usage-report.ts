/** `kordon audit usage` output: pretty, json, jsonl, markdown. Reports only format. */
import { VERSION } from '../version.js';
import type { AuditProblem, ReadStats } from '../sources/audit/read.js';
import type { UsageReport, UsageRule } from './usage.js';

export const USAGE_FORMATS = ['pretty', 'json', 'jsonl', 'markdown'] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

export interface UsageExtras {
  problems: AuditProblem[];
  partial: boolean;
  stats: ReadStats;
}

function ruleText(r: UsageRule): string {
  const res = `${r.apiGroup ? `${r.apiGroup}/` : ''}${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
  return `${r.verbs.join(',')} ${res}${r.namespace ? ` in ${r.namespace}` : ''}${r.names ? ` names: ${r.names.join(',')}` : ''} (${r.requests})`;
}

export function formatUsage(u: UsageReport, format: UsageFormat, x: UsageExtras): string {
  if (format === 'json') return `${JSON.stringify({ schemaVersion: 1, tool: { name: 'kordon', version: VERSION }, kind: 'audit-usage', partial: x.partial, events: x.stats.events, ...u, problems: x.problems }, null, 2)}\n`;
  if (format === 'jsonl') {
    let out = '';
    for (const i of u.identities) out += `${JSON.stringify({ type: 'identity', ...i })}\n`;
    for (const g of u.unusedGrants ?? []) out += `${JSON.stringify({ type: 'unused-grant', ...g })}\n`;
    for (const p of x.problems) out += `${JSON.stringify({ type: 'problem', ...p })}\n`;
    out += `${JSON.stringify({ type: 'summary', partial: x.partial, events: x.stats.events, identities: u.identities.length, window: u.window })}\n`;
    return out;
  }
  const md = format === 'markdown';
  const lines: string[] = [];
  const head = `${x.stats.events} ${x.stats.events === 1 ? 'event' : 'events'}, ${u.identities.length} ${u.identities.length === 1 ? 'identity' : 'identities'}, window ${u.window.from ?? '?'} .. ${u.window.to ?? '?'}`;
  lines.push(md ? '## kordon audit usage' : `kordon audit usage: ${head}`);
  if (md) lines.push('', `${head}.`);
  if (x.partial) lines.push('computed from partial input: some of it could not be read (see problems)');
  for (const i of u.identities) {
    lines.push('', md ? `### ${i.username}` : `${i.username} (${i.kind}): ${i.requests} allowed, ${i.denied} denied`);
    if (md) lines.push('', `${i.kind}: ${i.requests} allowed, ${i.denied} denied`, '');
    for (const r of i.rules) lines.push(`${md ? '- ' : '  '}${ruleText(r)}`);
    for (const n of i.nonResourceURLs) lines.push(`${md ? '- ' : '  '}${n.verbs.join(',')} ${n.path} (${n.requests})`);
    for (const r of i.deniedRules) lines.push(`${md ? '- denied: ' : '  denied: '}${ruleText(r)}`);
  }
  if (u.unusedGrants) {
    lines.push('', md ? '### Unused grants (KOR-0980)' : `unused grants (KOR-0980): ${u.unusedGrants.length}`);
    if (md) lines.push('');
    for (const g of u.unusedGrants) {
      const res = `${g.apiGroup ? `${g.apiGroup}/` : ''}${g.resource}${g.resourceNames.length ? ` (${g.resourceNames.join(',')})` : ''}`;
      lines.push(`${md ? '- ' : '  '}${g.severity.toUpperCase()} ${g.identity}: ${g.unusedVerbs.join(',')} ${res} ${g.namespace === '*' ? 'cluster-wide' : `in ${g.namespace}`}, never used; from ${g.from.join(', ')}${g.attackPaths ? `; the binding opens ${g.attackPaths} attack ${g.attackPaths === 1 ? 'path' : 'paths'}, e.g. ${g.example}` : ''}`);
    }
  }
  if (x.problems.length) {
    lines.push('', `problems (${x.problems.length}):`);
    for (const p of x.problems.slice(0, 20)) lines.push(`  ${p.severity} ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}
