/** The shapes shared by the Pod Security Standards checks, evaluator and dry run. */
import type { JsonPatchOp } from '../../engine/types.js';

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** Upstream check ids (k8s.io/pod-security-admission/policy). */
export type PssCheckId =
  | 'allowPrivilegeEscalation'
  | 'appArmorProfile'
  | 'capabilities_baseline'
  | 'capabilities_restricted'
  | 'hostNamespaces'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'hostProbesAndHostLifecycle'
  | 'privileged'
  | 'procMount'
  | 'procMount_restricted'
  | 'restrictedVolumes'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seLinuxOptions'
  | 'seccompProfile_baseline'
  | 'seccompProfile_restricted'
  | 'sysctls'
  | 'windowsHostProcess';

/** Pod metadata as the checks see it (only annotations matter to them). */
export interface PssPodMetadata {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  [field: string]: unknown;
}

/**
 * One offending (or missing) field, for controls: a JSON pointer relative to the pod spec
 * (`scope: 'podSpec'`) or to the pod metadata (`scope: 'podMetadata'`), a sentence, and a JSON
 * patch (relative to the same base) when the fix is mechanical.
 */
export interface PssLocation {
  scope: 'podSpec' | 'podMetadata';
  pointer: string;
  message: string;
  container?: string;
  fix?: JsonPatchOp[];
}

/** The outcome of one check: upstream reason and detail when forbidden, plus where. */
export interface PssCheckOutcome {
  allowed: boolean;
  reason?: string;
  detail?: string;
  locations: PssLocation[];
}

export type PssCheckFn = (podMetadata: PssPodMetadata, podSpec: Record<string, unknown>) => PssCheckOutcome;

export interface PssVersionedCheck {
  /** The first v1.<minor> this definition applies to (until the next definition's). */
  minMinor: number;
  check: PssCheckFn;
  /** Baseline checks this (restricted) definition replaces at the restricted level. */
  overrides?: PssCheckId[];
}

export interface PssCheckDefinition {
  id: PssCheckId;
  level: 'baseline' | 'restricted';
  /** Human title (the Pod Security Standards' control name). */
  title: string;
  versions: PssVersionedCheck[];
}

export interface PssViolation {
  check: PssCheckId;
  reason: string;
  detail: string;
}

export interface PssEvaluation {
  allowed: boolean;
  violations: PssViolation[];
}

/** One shared, frozen "allowed" outcome: most checks pass on most pods, millions of times in a large scan. */
const ALLOWED: PssCheckOutcome = Object.freeze({ allowed: true, locations: Object.freeze([]) as unknown as PssLocation[] });

export function allowedOutcome(): PssCheckOutcome {
  return ALLOWED;
}
