/**
 * A template for risky-grant controls: one control = one capability (and an optional scope),
 * reported on each binding that gives it, at the binding's `roleRef` (so the finding has the
 * binding's file and line). Controls stay data: id, metadata, capability.
 */
import { defineControl, type FrameworkRefs, type InventoryControl, type Severity, type Effort, type Supersedes, type SeverityCase } from '../engine/types.js';
import { rbacIndexOf, type RoleEntry } from './model.js';
import { isBuiltIn } from './builtins.js';
import { bindingsGranting, describeNames, describeScope, describeSubjects, type BindingGrant, type Capability, type GrantFilter } from './risk.js';

export const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

export interface RiskyGrantSpec {
  id: string;
  name: string;
  title: string;
  description: string;
  severity: Severity;
  effort?: Effort;
  frameworks: FrameworkRefs;
  remediation: string;
  capability: Capability;
  filter?: GrantFilter;
  /** The controls this one's findings stand for on the same binding (docs/deduplication.md). */
  supersedes?: Supersedes;
  /** Grades each grant (what it gives in its scope); `severityTable` documents the cases. */
  severityOf?: (grant: BindingGrant) => Severity;
  severityTable?: SeverityCase[];
}

export function riskyGrantControl(spec: RiskyGrantSpec): InventoryControl<'grant'> {
  return defineControl({
    id: spec.id,
    name: spec.name,
    title: spec.title,
    description: spec.description,
    layer: 'cluster',
    dimensions: ['Security'],
    guard: 'authorization',
    phases: ['develop', 'deploy', 'runtime'],
    severity: spec.severity,
    effort: spec.effort ?? 'medium',
    ...(spec.supersedes ? { supersedes: spec.supersedes } : {}),
    ...(spec.severityTable ? { severityTable: spec.severityTable } : {}),
    frameworks: spec.frameworks,
    remediation: spec.remediation,
    messages: { grant: '{{kind}} "{{binding}}" gives {{subjects}} {{capability}} {{scope}} through {{role}}{{names}}.' },
    targets: 'inventory',
    kinds: RBAC_KINDS,
    check(inv, ctx) {
      const index = rbacIndexOf(inv);
      for (const g of bindingsGranting(index, spec.capability, spec.filter)) {
        const b = g.binding;
        ctx.report(
          'grant',
          { kind: b.kind, binding: b.name, subjects: describeSubjects(b.subjects), capability: spec.capability.labelOf?.(g.matches.map((m) => m.probe)) ?? spec.capability.label, scope: describeScope(b), role: roleText(b.role!, index.builtInVersion), names: describeNames(g) },
          '/roleRef',
          { object: b.item!, ...(spec.severityOf ? { severity: spec.severityOf(g) } : {}) },
        );
      }
    },
  });
}

/** `ClusterRole "edit"`, saying when the input lacks it and the bootstrap policy's role was assumed. */
export function roleText(role: RoleEntry, version: string | undefined): string {
  const text = `${role.kind} "${role.name}"`;
  return isBuiltIn(role.item) ? `${text} (built-in, assumed from the Kubernetes ${version ?? ''} bootstrap policy: not in the input)` : text;
}
