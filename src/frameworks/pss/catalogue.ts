/**
 * The versioned catalogue of Pod Security Standards checks and the per level/version check lists,
 * built the way the admission plugin's registry builds them: every definition applies from its
 * minimum version until the next one; restricted includes baseline minus the checks a restricted
 * definition overrides at that version; baseline ids run first, then restricted ids, each sorted.
 */
import { allowPrivilegeEscalationCheck } from './checks/allow-privilege-escalation.js';
import { appArmorProfileCheck } from './checks/apparmor-profile.js';
import { capabilitiesBaselineCheck } from './checks/capabilities-baseline.js';
import { capabilitiesRestrictedCheck } from './checks/capabilities-restricted.js';
import { hostNamespacesCheck } from './checks/host-namespaces.js';
import { hostPathVolumesCheck } from './checks/host-path-volumes.js';
import { hostPortsCheck } from './checks/host-ports.js';
import { hostProbesAndHostLifecycleCheck } from './checks/host-probes-and-host-lifecycle.js';
import { privilegedCheck } from './checks/privileged.js';
import { procMountCheck, procMountRestrictedCheck } from './checks/proc-mount.js';
import { restrictedVolumesCheck } from './checks/restricted-volumes.js';
import { runAsNonRootCheck } from './checks/run-as-non-root.js';
import { runAsUserCheck } from './checks/run-as-user.js';
import { seccompProfileBaselineCheck, seccompProfileRestrictedCheck } from './checks/seccomp-profile.js';
import { seLinuxOptionsCheck } from './checks/selinux-options.js';
import { sysctlsCheck } from './checks/sysctls.js';
import { windowsHostProcessCheck } from './checks/windows-host-process.js';
import { compareGoStrings } from './format.js';
import type { PssCheckDefinition, PssCheckId, PssLevel, PssVersionedCheck } from './types.js';
import { effectiveMinor, NEWEST_PSS_MINOR, toPssVersion, type PssVersion } from './version.js';

export const PSS_CHECKS: readonly PssCheckDefinition[] = [
  windowsHostProcessCheck,
  hostNamespacesCheck,
  privilegedCheck,
  capabilitiesBaselineCheck,
  hostPathVolumesCheck,
  hostPortsCheck,
  hostProbesAndHostLifecycleCheck,
  appArmorProfileCheck,
  seLinuxOptionsCheck,
  procMountCheck,
  seccompProfileBaselineCheck,
  sysctlsCheck,
  restrictedVolumesCheck,
  allowPrivilegeEscalationCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  seccompProfileRestrictedCheck,
  capabilitiesRestrictedCheck,
  procMountRestrictedCheck,
];

const BY_ID = new Map<PssCheckId, PssCheckDefinition>(PSS_CHECKS.map((c) => [c.id, c]));

export function pssCheck(id: PssCheckId): PssCheckDefinition {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`unknown Pod Security check "${id}"`);
  return c;
}

/** The definition of a check in force at a minor version, or undefined before it exists. */
export function definitionAt(check: PssCheckDefinition, minor: number): PssVersionedCheck | undefined {
  let found: PssVersionedCheck | undefined;
  for (const v of check.versions) if (v.minMinor <= minor) found = v;
  return found;
}

/** Baseline ids (sorted as Go sorts), then restricted ids: the order checks run and are reported in. */
const ORDERED_IDS: readonly PssCheckId[] = [
  ...PSS_CHECKS.filter((c) => c.level === 'baseline').map((c) => c.id).sort(compareGoStrings),
  ...PSS_CHECKS.filter((c) => c.level === 'restricted').map((c) => c.id).sort(compareGoStrings),
];

export interface ActiveCheck {
  check: PssCheckDefinition;
  definition: PssVersionedCheck;
}

const cache = new Map<string, ActiveCheck[]>();

/** The checks that run for a level at a version, in reporting order. */
export function activeChecks(level: PssLevel, version: PssVersion | string): ActiveCheck[] {
  if (level === 'privileged') return [];
  const minor = effectiveMinor(toPssVersion(version));
  const key = `${level}:${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const inForce = new Map<PssCheckId, ActiveCheck>();
  for (const check of PSS_CHECKS) {
    if (level === 'baseline' && check.level !== 'baseline') continue;
    const definition = definitionAt(check, minor);
    if (definition) inForce.set(check.id, { check, definition });
  }
  if (level === 'restricted') {
    for (const a of [...inForce.values()]) {
      if (a.check.level === 'restricted') for (const o of a.definition.overrides ?? []) inForce.delete(o);
    }
  }
  const out = ORDERED_IDS.flatMap((id) => {
    const a = inForce.get(id);
    return a ? [a] : [];
  });
  cache.set(key, out);
  return out;
}

/** The check ids a level runs at a version, in reporting order. */
export function pssChecksFor(level: PssLevel, version: PssVersion | string): PssCheckId[] {
  return activeChecks(level, version).map((a) => a.check.id);
}

export { NEWEST_PSS_MINOR };
