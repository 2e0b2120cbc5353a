/**
 * Evaluating a pod (or pod template) against a Pod Security Standards level and version: the
 * verdict and violations exactly as the PodSecurity admission plugin words them.
 */
import { activeChecks, definitionAt, pssCheck } from './catalogue.js';
import { rec } from './access.js';
import { allowedOutcome, type PssCheckId, type PssCheckOutcome, type PssEvaluation, type PssLevel, type PssPodMetadata, type PssViolation } from './types.js';
import { effectiveMinor, formatPssVersion, LATEST, toPssVersion, type PssVersion } from './version.js';

const UNKNOWN_FORBIDDEN_REASON = 'unknown forbidden reason';

function asSpec(podSpec: unknown): Record<string, unknown> {
  return rec(podSpec) ?? {};
}

function asMeta(podMetadata: unknown): PssPodMetadata {
  return (rec(podMetadata) ?? {}) as PssPodMetadata;
}

/** Evaluates every check of `level` at `version` (`latest`, `v1.N`, or a parsed version). Pure. */
export function evaluatePodSecurity(podMetadata: PssPodMetadata | undefined | null, podSpec: unknown, level: PssLevel, version: PssVersion | string = LATEST): PssEvaluation {
  const meta = asMeta(podMetadata);
  const spec = asSpec(podSpec);
  const violations: PssViolation[] = [];
  for (const { check, definition } of activeChecks(level, version)) {
    const outcome = definition.check(meta, spec);
    if (outcome.allowed) continue;
    violations.push({ check: check.id, reason: outcome.reason || UNKNOWN_FORBIDDEN_REASON, detail: outcome.detail ?? '' });
  }
  return { allowed: violations.length === 0, violations };
}

/**
 * One check at a version (default: latest), with the offending fields. Returns an allowed outcome
 * when the check does not exist yet at that version. Used by the controls: one rule source.
 */
export function evaluatePssCheck(id: PssCheckId, podMetadata: PssPodMetadata | undefined | null, podSpec: unknown, version: PssVersion | string = LATEST): PssCheckOutcome {
  return pssCheckEvaluator(id, version)(podMetadata, podSpec);
}

export type PssCheckEvaluator = (podMetadata: PssPodMetadata | undefined | null, podSpec: unknown) => PssCheckOutcome;

/**
 * `evaluatePssCheck` with the check and version resolved once: for callers that evaluate the
 * same check on many pods (the controls).
 */
export function pssCheckEvaluator(id: PssCheckId, version: PssVersion | string = LATEST): PssCheckEvaluator {
  const v = toPssVersion(version);
  const definition = definitionAt(pssCheck(id), effectiveMinor(v));
  if (!definition) return () => allowedOutcome();
  const check = definition.check;
  return (podMetadata, podSpec) => check(asMeta(podMetadata), asSpec(podSpec));
}

/** `reason (detail), reason (detail)`: the aggregate the admission plugin prints. */
export function forbiddenDetail(violations: readonly PssViolation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}

/** The admission error text: `violates PodSecurity "restricted:latest": ...`. */
export function admissionMessage(level: PssLevel, version: PssVersion | string, evaluation: PssEvaluation): string {
  const v = typeof version === 'string' ? version : formatPssVersion(version);
  return `violates PodSecurity "${level}:${v}": ${forbiddenDetail(evaluation.violations)}`;
}
