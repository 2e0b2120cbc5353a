/**
 * Builds a kordon control from a Pod Security Standards check. The control runs the check's
 * latest definition through the evaluator (one rule source with `kordon pss`) and reports every
 * offending or missing field at its JSON pointer, with the check's fix when it is mechanical.
 */
import { defineControl, type Effort, type FrameworkRefs, type PodSpecControl, type Severity, type Supersedes } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { pssCheck } from './catalogue.js';
import { pssCheckEvaluator } from './evaluate.js';
import type { PssCheckId } from './types.js';

export interface PssControlSpec {
  id: string;
  name: string;
  check: PssCheckId;
  title: string;
  description: string;
  severity: Severity;
  effort: Effort;
  fixable?: boolean;
  /** NSA/CIS/MITRE references; the PSS reference is derived from the check. */
  frameworks?: Omit<FrameworkRefs, 'pss'>;
  remediation: string;
  /** The controls this one's findings stand for on the same field (docs/deduplication.md). */
  supersedes?: Supersedes;
}

export function pssControl(spec: PssControlSpec): PodSpecControl<'forbidden'> {
  const check = pssCheck(spec.check);
  const evaluate = pssCheckEvaluator(spec.check);
  return defineControl({
    id: spec.id,
    name: spec.name,
    title: spec.title,
    description: spec.description,
    layer: 'container',
    dimensions: ['Security'],
    guard: 'admission',
    phases: ['develop', 'deploy', 'runtime'],
    severity: spec.severity,
    effort: spec.effort,
    ...(spec.fixable ? { fixable: true } : {}),
    ...(spec.supersedes ? { supersedes: spec.supersedes } : {}),
    frameworks: { pss: [`${check.level}:${check.id}`], ...spec.frameworks },
    remediation: spec.remediation,
    messages: { forbidden: '{{message}}' },
    targets: 'podSpec',
    check({ podSpec, podMetadata, object }, ctx) {
      const outcome = evaluate(podMetadata, podSpec);
      for (const loc of outcome.locations) {
        if (loc.scope === 'podSpec') {
          ctx.report('forbidden', { message: loc.message }, loc.pointer, loc.fix ? { fix: loc.fix } : {});
          continue;
        }
        // Annotations live in the pod (template) metadata, outside the pod spec: report absolutely.
        const base = podSpecOf(object)?.metadataPointer;
        if (base === undefined || !ctx.item) continue;
        ctx.report('forbidden', { message: loc.message }, base + loc.pointer, {
          object: ctx.item,
          ...(loc.fix ? { fix: loc.fix.map((op) => ({ ...op, path: base + op.path })) } : {}),
        });
      }
    },
  });
}
