/** baseline `sysctls`: only namespaced, isolated ("safe") sysctls; the allowed set grows by version. */
import { list, pointerOf, rec, securityContextOf, str } from '../access.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

export const SAFE_SYSCTLS_1_0: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
export const SAFE_SYSCTLS_1_27: ReadonlySet<string> = new Set([...SAFE_SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']);
export const SAFE_SYSCTLS_1_29: ReadonlySet<string> = new Set([
  ...SAFE_SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
export const SAFE_SYSCTLS_1_32: ReadonlySet<string> = new Set([...SAFE_SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
/** k8s.io/pod-security-admission v0.37 (`sysctlsAllowedV1Dot37`). */
export const SAFE_SYSCTLS_1_37: ReadonlySet<string> = new Set([...SAFE_SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']);

function sysctls(podSpec: Record<string, unknown>, allowed: ReadonlySet<string>): PssCheckOutcome {
  const forbidden: string[] = [];
  const locations: PssLocation[] = [];
  const all = list(securityContextOf(podSpec)?.['sysctls']);
  const kept = all.filter((s) => allowed.has(str(rec(s)?.['name'])));
  all.forEach((s, k) => {
    const name = str(rec(s)?.['name']);
    if (allowed.has(name)) return;
    forbidden.push(name);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf('', 'securityContext', 'sysctls', k, 'name'),
      message: `The pod sets the sysctl ${name}, which is not in the safe set.`,
      fix: [{ op: 'replace', path: '/securityContext/sysctls', value: kept }],
    });
  });
  if (forbidden.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'forbidden sysctls', detail: forbidden.join(', '), locations };
}

export const sysctlsCheck: PssCheckDefinition = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Sysctls',
  versions: [
    { minMinor: 0, check: (_m, spec) => sysctls(spec, SAFE_SYSCTLS_1_0) },
    { minMinor: 27, check: (_m, spec) => sysctls(spec, SAFE_SYSCTLS_1_27) },
    { minMinor: 29, check: (_m, spec) => sysctls(spec, SAFE_SYSCTLS_1_29) },
    { minMinor: 32, check: (_m, spec) => sysctls(spec, SAFE_SYSCTLS_1_32) },
    { minMinor: 37, check: (_m, spec) => sysctls(spec, SAFE_SYSCTLS_1_37) },
  ],
};
