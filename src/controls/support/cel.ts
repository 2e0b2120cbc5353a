/**
 * CEL helpers for the `cel` rule of built-in controls (the rule `kordon admission policies` turns
 * into a ValidatingAdmissionPolicy; docs/admission-policies.md).
 *
 * Conventions:
 * - object controls write their rule over `object`, the object being admitted;
 * - pod-spec and container controls write it over `variables.podSpec` (the pod spec) and
 *   `variables.podMeta` (the pod's metadata): the generated policy defines both variables for
 *   every kind that carries a pod template (Pod, Deployment, CronJob, ...), so the same rule judges
 *   a Deployment at `kubectl apply` and each pod it makes.
 * The rule is true when the object passes (as a ValidatingAdmissionPolicy validation).
 */

/** The pod spec of any workload kind, in the generated policy's variables. */
export const POD_SPEC = 'variables.podSpec';
/** The pod (template) metadata, in the generated policy's variables. */
export const POD_META = 'variables.podMeta';

type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** `predicate` (over the variable `c`) holds for every container of the listed kinds. */
export function celAllContainers(predicate: string, lists: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers']): string {
  return lists.map((l) => `(!has(${POD_SPEC}.${l}) || ${POD_SPEC}.${l}.all(c, ${predicate}))`).join(' && ');
}

/** A CEL list literal of strings. */
export function celStrings(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** `base.a.b.c` is present: `has(base.a) && has(base.a.b) && has(base.a.b.c)`. */
export function celHas(base: string, path: readonly string[]): string {
  return path.map((_, i) => `has(${[base, ...path.slice(0, i + 1)].join('.')})`).join(' && ');
}

/** `base.a.b` is present and equals `value` (a CEL literal). */
export function celIs(base: string, path: readonly string[], value: string): string {
  return `(${celHas(base, path)} && ${[base, ...path].join('.')} == ${value})`;
}

/** The pod runs in its own user namespace (`hostUsers: false`). */
export const CEL_USER_NAMESPACE = celIs(POD_SPEC, ['hostUsers'], 'false');
/** The pod declares `os.name: windows`. */
export const CEL_WINDOWS_POD = celIs(POD_SPEC, ['os', 'name'], "'windows'");

/** A control with its CEL rule (for controls built by a factory, like the Pod Security Standards ones). */
export function withCel<T extends { cel?: { expression: string; message: string } }>(control: T, cel: { expression: string; message: string }): T {
  return { ...control, cel };
}

/** The image of container `c` (without a digest) names no tag, or `latest`. */
const CEL_IMAGE_LAST = "c.image.substring(c.image.lastIndexOf('/') + 1)";
export const CEL_TAG_ABSENT_OR_LATEST = `(!${CEL_IMAGE_LAST}.contains(':') || ${CEL_IMAGE_LAST}.substring(${CEL_IMAGE_LAST}.indexOf(':') + 1) == 'latest')`;

/** A seccomp profile object `p` of type RuntimeDefault or Localhost. */
function celSeccompValid(p: string): string {
  return `(has(${p}.type) && ${p}.type in ['RuntimeDefault', 'Localhost'])`;
}

/** Every seccomp profile the pod and its containers set is RuntimeDefault or Localhost (PSS since v1.19). */
export const CEL_SECCOMP_EXPLICIT_VALID = `(!(${celHas(POD_SPEC, ['securityContext', 'seccompProfile'])}) || ${celSeccompValid(`${POD_SPEC}.securityContext.seccompProfile`)}) && ${celAllContainers(`!(${celHas('c', ['securityContext', 'seccompProfile'])}) || ${celSeccompValid('c.securityContext.seccompProfile')}`)}`;
