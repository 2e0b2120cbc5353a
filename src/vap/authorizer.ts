/** The CEL `authorizer` of a dry run, answered by kordon's RBAC engine over the input's RBAC objects. */
import type { AuthorizeFn } from '../cel/library.js';
import type { Inventory } from '../inventory/inventory.js';
import { authorize } from '../rbac/authorize.js';
import { rbacIndexOf, serviceAccountUsername } from '../rbac/model.js';

export function rbacAuthorizer(inv: Inventory, user: { username: string; groups: string[] }): AuthorizeFn {
  let index: ReturnType<typeof rbacIndexOf> | undefined;
  return (attrs) => {
    index ??= rbacIndexOf(inv);
    const who = attrs.user
      ? { user: serviceAccountUsername(attrs.user.namespace, attrs.user.name), groups: ['system:serviceaccounts', `system:serviceaccounts:${attrs.user.namespace}`, 'system:authenticated'] }
      : { user: user.username, groups: user.groups };
    const decision =
      attrs.path !== undefined
        ? authorize(index, { ...who, verb: attrs.verb, path: attrs.path })
        : authorize(index, { ...who, verb: attrs.verb, apiGroup: attrs.group ?? '', resource: attrs.resource ?? '', subresource: attrs.subresource ?? '', namespace: attrs.namespace ?? '', name: attrs.name ?? '' });
    const g = decision.grants[0];
    return decision.allowed && g ? { decision: 'allow', reason: `RBAC: allowed by ${g.binding.replace('//', '/')} of ${g.role.replace('//', '/')}` } : { decision: 'noOpinion', reason: '' };
  };
}
