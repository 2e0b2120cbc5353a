/**
 * baseline `seLinuxOptions`: the SELinux type must be one of the container types (container_engine_t
 * from v1.31), and user and role may not be set (v1.0+).
 */
import { pointerOf, rec, securityContextOf, str, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

export const SELINUX_TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
export const SELINUX_TYPES_1_31: ReadonlySet<string> = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(podSpec: Record<string, unknown>, allowedTypes: ReadonlySet<string>): PssCheckOutcome {
  const badTypes: string[] = [];
  let setUser = false;
  let setRole = false;
  const locations: PssLocation[] = [];

  const valid = (owner: Record<string, unknown>, base: string, who: string, container?: string): boolean => {
    const opts = rec(securityContextOf(owner)?.['seLinuxOptions']);
    if (!opts) return true;
    let ok = true;
    const at = (field: string): string => pointerOf(base, 'securityContext', 'seLinuxOptions', field);
    const type = str(opts['type']);
    if (!allowedTypes.has(type)) {
      ok = false;
      badTypes.push(type);
      locations.push({ scope: 'podSpec', pointer: at('type'), ...(container !== undefined ? { container } : {}), message: `${who} sets the SELinux type "${type}".` });
    }
    for (const field of ['user', 'role'] as const) {
      const value = str(opts[field]);
      if (value === '') continue;
      ok = false;
      if (field === 'user') setUser = true;
      else setRole = true;
      locations.push({
        scope: 'podSpec',
        pointer: at(field),
        ...(container !== undefined ? { container } : {}),
        message: `${who} sets the SELinux ${field} "${value}".`,
        fix: [{ op: 'remove', path: at(field) }],
      });
    }
    return ok;
  };

  const setters: string[] = [];
  if (!valid(podSpec, '', 'The pod')) setters.push('pod');
  const bad: string[] = [];
  for (const v of visitContainers(podSpec)) {
    if (!valid(v.container, v.pointer, `Container "${v.name}"`, v.name)) bad.push(v.name);
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return allowedOutcome();

  const data: string[] = [];
  const types = sortedUnique(badTypes);
  if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return {
    allowed: false,
    reason: 'seLinuxOptions',
    detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    locations,
  };
}

export const seLinuxOptionsCheck: PssCheckDefinition = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux',
  versions: [
    { minMinor: 0, check: (_m, spec) => seLinuxOptions(spec, SELINUX_TYPES_1_0) },
    { minMinor: 31, check: (_m, spec) => seLinuxOptions(spec, SELINUX_TYPES_1_31) },
  ],
};
