/**
 * Image upgrades as plan actions (`plan --vulns`): the findings of the vulnerability controls
 * (KOR-0400..KOR-0449) are one action per image — rebuild it with the fixed packages — instead of
 * one action per control. Risk is the plan's (the riskiest finding's priority, attack paths
 * included, plus breadth), and the action says how many attack paths go through an exploit of
 * the image (the paths an upgrade closes: src/graph/exploit-edges.ts). Effort: a rebuild
 * (medium), more when the image runs in many workloads.
 */
import type { ScanResult } from '../engine/result.js';
import type { Effort, Finding, Severity } from '../engine/types.js';
import { SEVERITY_BASE } from '../graph/priority.js';
import type { VulnContext } from '../vulns/context.js';
import { arrangePlan, WIDE_ROLLOUT, type Level, type Plan, type PlanAction, type Quadrant } from './plan.js';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const isVulnControl = (id: string): boolean => /^KOR-04[0-4]\d$/.test(id);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const score = (f: Finding): number => f.priority?.score ?? SEVERITY_BASE[f.severity];

export function withImageUpgrades(plan: Plan, result: ScanResult, ctx: VulnContext): Plan {
  const kept = plan.phases.flatMap((p) => p.actions).filter((a) => !isVulnControl(a.controlId));
  const byImage = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.suppressed || !isVulnControl(f.controlId) || !f.object) continue;
    const img = ctx.imageOf.get(`${f.object.id}|${f.container ?? ''}`);
    if (!img) continue;
    (byImage.get(img.key) ?? byImage.set(img.key, []).get(img.key)!).push(f);
  }
  const entries = new Map(ctx.analysis.images.map((i) => [i.key, i]));
  const actions: PlanAction[] = [...kept];
  for (const [key, findings] of [...byImage].sort((a, b) => cmp(a[0], b[0]))) {
    const img = entries.get(key)!;
    const severity = findings.reduce<Severity>((w, f) => (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(w) ? f.severity : w), 'info');
    const objects = new Set(findings.map((f) => f.object!.id));
    const namespaces = [...new Set(findings.map((f) => f.object!.namespace).filter((n): n is string => n !== undefined))].sort(cmp);
    const top = Math.max(...findings.map(score));
    const risk = Math.min(100, top + Math.min(10, Math.round(3 * Math.log2(objects.size))));
    const riskLevel: Level = risk >= 40 ? 'high' : risk >= 20 ? 'medium' : 'low';
    const effort: Effort = objects.size > WIDE_ROLLOUT ? 'high' : 'medium';
    const quadrant: Quadrant = riskLevel === 'high' ? 'major-project' : 'later';
    const pathsClosed = Math.max(0, ...findings.map((f) => f.priority?.onPaths ?? 0));
    const vulns = ctx.analysis.vulnerabilities.filter((v) => v.imageKey === key && v.inUse !== 'no');
    const upgrades = [...new Map(vulns.filter((v) => v.fixedVersion).map((v) => [`${v.package}@${v.version}`, { package: v.package, from: v.version, to: v.fixedVersion! }])).values()].sort((a, b) => cmp(a.package, b.package));
    const noFix = new Set(vulns.filter((v) => !v.fixedVersion).map((v) => v.package)).size;
    const ranked = [...findings].sort((a, b) => score(b) - score(a) || cmp(a.object!.id, b.object!.id) || cmp(a.message, b.message));
    const worst = ranked[0]!;
    actions.push({
      rank: 0,
      controlId: worst.controlId,
      control: 'image-upgrade',
      title: `Upgrade image ${img.image}`,
      layer: 'container',
      severity,
      remediation: `Rebuild ${img.image} with ${upgrades.length ? upgrades.slice(0, 5).map((u) => `${u.package} ${u.to}`).join(', ') + (upgrades.length > 5 ? ` and ${upgrades.length - 5} more` : '') : 'no fixed package known yet'}${noFix ? `; ${noFix} package(s) have no fix: remove or mitigate them` : ''}, then redeploy.`,
      risk,
      riskLevel,
      controlEffort: 'medium',
      effort,
      quadrant,
      reason: `risk ${risk} (${pathsClosed > 0 ? `${pathsClosed} attack path(s) go through an exploit of this image` : `${severity} severity`}, ${vulns.length} vulnerabilit${vulns.length === 1 ? 'y' : 'ies'} not ruled out, ${objects.size} workload(s)); effort ${effort} (a rebuild${effort === 'high' ? `, ${objects.size} workloads to roll out` : ''})`,
      findings: findings.length,
      objects: objects.size,
      namespaces,
      onAttackPaths: findings.filter((f) => (f.priority?.onPaths ?? 0) > 0).length,
      fixable: 0,
      examples: ranked.slice(0, 3).map((f) => ({ object: f.object!.id, message: f.message, ...(f.location ? { source: f.location.source, line: f.location.line } : {}) })),
      image: { image: img.image, ...(img.digest ? { digest: img.digest } : {}), vulnerabilities: vulns.length, upgrades, pathsClosed },
    });
  }
  return arrangePlan(actions, plan.attackPaths);
}
