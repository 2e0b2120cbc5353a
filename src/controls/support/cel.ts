/**
 * CEL helpers. Pod-spec and container controls express their rule over a Pod (`object.spec`):
 * a ValidatingAdmissionPolicy on Pods sees every workload's pods at creation, whatever created them.
 */

type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** `predicate` (over the variable `c`) holds for every container of the listed kinds. */
export function celAllContainers(predicate: string, lists: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers']): string {
  return lists
    .map((l) => (l === 'containers' ? `object.spec.containers.all(c, ${predicate})` : `(!has(object.spec.${l}) || object.spec.${l}.all(c, ${predicate}))`))
    .join(' && ');
}
