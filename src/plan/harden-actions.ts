/**
 * `kordon harden`'s changes as plan actions (`plan --runtime`/`--audit`, docs/plan.md): one
 * action per hardened workload (its seccomp profiles, capability drops and NetworkPolicy) and
 * one per service account whose RBAC changes (the Roles from its observed API requests, the
 * bindings that become unnecessary), with the attack paths the change closes (the graph's
 * what-if, computed by harden) and harden's effort.
 *
 * Risk: the riskiest unsuppressed finding the change answers (on the workload: those about its
 * seccomp profile, capabilities or network policy; for RBAC: those on the bindings it deletes),
 * its attack-path priority when the scan has one; and a change
 * that closes attack paths is high risk on that ground alone (40, plus 5 per path closed, at
 * most 100). Effort: harden's (low with good coverage, medium when coverage is thin, high when
 * an observed flow or request would be denied). The findings stay with their controls' actions:
 * a harden action counts none of them (`findings: 0`) and names them in its reason.
 */
import type { ScanResult } from '../engine/result.js';
import type { Finding, Severity } from '../engine/types.js';
import { SEVERITY_BASE } from '../graph/priority.js';
import type { HardenResult, PlanAction as HardenAction } from '../harden/harden.js';
import { arrangePlan, type Level, type Plan, type PlanAction, type Quadrant } from './plan.js';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const score = (f: Finding): number => f.priority?.score ?? SEVERITY_BASE[f.severity];

function findingsOn(result: ScanResult, objects: ReadonlyArray<{ kind: string; namespace?: string; name: string }>): Finding[] {
  return result.findings.filter((f) => !f.suppressed && f.object && objects.some((o) => f.object!.kind === o.kind && (f.object!.namespace ?? '') === (o.namespace ?? '') && f.object!.name === o.name));
}

export function withHardenActions(plan: Plan, result: ScanResult, harden: HardenResult): Plan {
  const actions: PlanAction[] = plan.phases.flatMap((p) => p.actions);
  const accounts = new Map((harden.serviceAccounts ?? []).map((a) => [`${a.serviceAccount.namespace}/${a.serviceAccount.name}`, a]));
  for (const h of harden.plan) {
    const changes = h.workload.kind === 'ServiceAccount' ? accounts.get(`${h.workload.namespace}/${h.workload.name}`)?.unnecessaryBindings ?? [] : undefined;
    // a binding the account leaves but others keep still grants what its findings say: only deleted bindings count
    actions.push(toAction(h, result, changes?.filter((b) => b.action === 'delete').map((b) => b.binding), changes?.filter((b) => b.action !== 'delete').length ?? 0));
  }
  return arrangePlan(actions, plan.attackPaths);
}

function toAction(h: HardenAction, result: ScanResult, removedBindings: string[] | undefined, sharedLeft: number): PlanAction {
  const rbac = removedBindings !== undefined;
  const touched = rbac
    ? removedBindings.map((k) => {
        const [kind, ns, name] = k.split('/') as [string, string, string];
        return { kind, ...(ns ? { namespace: ns } : {}), name };
      })
    : [{ kind: h.workload.kind, namespace: h.workload.namespace, name: h.workload.name }];
  // a workload's findings that its change answers: seccomp, capabilities, network policy (not its probes or limits)
  const answered = (f: Finding): boolean => rbac || /\/(seccompProfile|capabilities)(\/|$)/.test(f.pointer) || /seccomp|capabilit|network-?polic|netpol/.test(f.control);
  const findings = findingsOn(result, touched).filter(answered).sort((a, b) => score(b) - score(a) || (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
  const paths = h.pathsClosed ?? 0;
  const top = findings.length ? score(findings[0]!) : 0;
  const risk = Math.min(100, Math.max(top, paths > 0 ? 40 + 5 * paths : 0));
  const riskLevel: Level = risk >= 40 ? 'high' : risk >= 20 ? 'medium' : 'low';
  const quadrant: Quadrant = riskLevel === 'high' ? (h.effort === 'low' ? 'quick-win' : 'major-project') : h.effort === 'low' ? 'fill-in' : 'later';
  const severity = findings.reduce<Severity>((w, f) => (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(w) ? f.severity : w), paths > 0 ? 'high' : 'info');
  const controls = [...new Set(findings.map((f) => f.controlId))].sort();
  const why: string[] = [];
  if (paths > 0) why.push(`closes ${paths} attack path(s)`);
  else if (h.pathsClosed === 0) why.push('closes no attack path');
  if (findings.length) why.push(`${findings.length} finding(s) on ${rbac ? 'the bindings it deletes' : 'the workload'} (${controls.join(', ')})`);
  if (sharedLeft) why.push(`the account leaves ${sharedLeft} binding(s) others keep`);
  const effortWhy = h.effort === 'low' ? 'observed long enough' : h.effort === 'medium' ? 'coverage is thin: observe longer or roll out with care' : 'an observed flow or request would be denied: review first';
  return {
    rank: 0,
    controlId: rbac ? 'harden-rbac' : 'harden',
    control: rbac ? 'harden-rbac' : 'harden-workload',
    title: h.title,
    layer: rbac ? 'cluster' : 'container',
    severity,
    remediation: `${h.changes.join('; ')} (kordon harden --out DIR writes the patch set).`,
    risk,
    riskLevel,
    controlEffort: h.effort,
    effort: h.effort,
    quadrant,
    reason: `risk ${risk} (${why.join('; ') || 'no finding on what it changes'}); effort ${h.effort} (${effortWhy})`,
    findings: 0,
    objects: rbac ? touched.length + sharedLeft : 1,
    namespaces: [...new Set(touched.map((t) => t.namespace).filter((n): n is string => Boolean(n)))].sort(),
    onAttackPaths: 0,
    fixable: 0,
    examples: findings.slice(0, 3).map((f) => ({ object: f.object!.id, message: f.message, ...(f.location ? { source: f.location.source, line: f.location.line } : {}) })),
    harden: { workload: h.workload, changes: h.changes, ...(h.pathsClosed !== undefined ? { pathsClosed: h.pathsClosed } : {}) },
  };
}
