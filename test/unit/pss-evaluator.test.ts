import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeChecks,
  admissionMessage,
  NEWEST_PSS_MINOR,
  policyVersionOf,
  evaluatePodSecurity,
  evaluatePssCheck,
  parsePssVersion,
  pssChecksFor,
  type PssLevel,
} from '../../src/frameworks/pss/index.js';

type Spec = Record<string, unknown>;
const c = (name: string, extra: Spec = {}): Spec => ({ name, image: 'registry.example/app:1.0', ...extra });

/** A pod that passes restricted at every version. */
function restrictedPod(extra: Spec = {}, containerExtra: Spec = {}): Spec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [c('app', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...containerExtra })],
    ...extra,
  };
}

function checks(spec: Spec, level: PssLevel, version = 'latest', annotations?: Record<string, string>): string[] {
  return evaluatePodSecurity({ annotations }, spec, level, version).violations.map((v) => v.check);
}

function only(spec: Spec, level: PssLevel, version = 'latest', annotations?: Record<string, string>) {
  const r = evaluatePodSecurity({ annotations }, spec, level, version);
  assert.equal(r.violations.length, 1, JSON.stringify(r.violations));
  return r.violations[0]!;
}

test('latest is v1.37, the newest policy of k8s.io/pod-security-admission (v0.37.x); newer versions evaluate like it', () => {
  assert.equal(NEWEST_PSS_MINOR, 37);
  assert.equal(policyVersionOf('latest'), 'v1.37');
  assert.equal(policyVersionOf('v1.40'), 'v1.37');
  assert.equal(policyVersionOf('v1.36'), 'v1.36');
  // v1.36 changed no check upstream: the same definitions run as at v1.35; v1.37 changes sysctls only
  const defs = (level: PssLevel, v: string) => activeChecks(level, v).map((a) => a.definition);
  for (const level of ['baseline', 'restricted'] as const) {
    assert.deepEqual(defs(level, 'v1.36'), defs(level, 'v1.35'));
    const changed = activeChecks(level, 'v1.37').filter((a, i) => a.definition !== defs(level, 'v1.36')[i]).map((a) => a.check.id);
    assert.deepEqual(changed, ['sysctls'], level);
  }
});

test('parsePssVersion accepts latest and v1.N only, as the admission plugin does', () => {
  assert.deepEqual(parsePssVersion('latest'), { ok: true, version: { latest: true } });
  assert.deepEqual(parsePssVersion('v1.0'), { ok: true, version: { latest: false, minor: 0 } });
  assert.deepEqual(parsePssVersion('v1.35'), { ok: true, version: { latest: false, minor: 35 } });
  assert.deepEqual(parsePssVersion('v1.99'), { ok: true, version: { latest: false, minor: 99 } });
  for (const bad of ['v0.9', 'v2.0', '1.30', 'v1.05', 'v1.', 'v1.3x', 'Latest', '']) assert.equal(parsePssVersion(bad).ok, false, bad);
});

test('check lists per level and version follow the registry: sorted ids, baseline first, overrides replaced', () => {
  assert.deepEqual(pssChecksFor('baseline', 'latest'), [
    'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
    'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
  ]);
  assert.deepEqual(pssChecksFor('restricted', 'latest'), [
    'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
    'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
  ]);
  // v1.0 restricted: no allowPrivilegeEscalation (v1.8), capabilities_restricted (v1.22), runAsUser (v1.23), seccomp restricted (v1.19)
  assert.deepEqual(pssChecksFor('restricted', 'v1.0'), [
    'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
    'restrictedVolumes', 'runAsNonRoot',
  ]);
  assert.ok(!pssChecksFor('baseline', 'v1.33').includes('hostProbesAndHostLifecycle'));
  assert.ok(pssChecksFor('baseline', 'v1.34').includes('hostProbesAndHostLifecycle'));
  assert.ok(pssChecksFor('restricted', 'v1.34').includes('procMount'));
  assert.ok(!pssChecksFor('restricted', 'v1.35').includes('procMount'));
  // versions beyond the newest evaluate like latest
  assert.deepEqual(pssChecksFor('restricted', 'v1.99'), pssChecksFor('restricted', 'latest'));
  assert.deepEqual(pssChecksFor('privileged', 'latest'), []);
});

test('a well-formed restricted pod is allowed at every version and level', () => {
  for (let minor = 0; minor <= 40; minor++) {
    for (const level of ['baseline', 'restricted'] as const) assert.equal(evaluatePodSecurity({}, restrictedPod(), level, `v1.${minor}`).allowed, true, `${level} v1.${minor}`);
  }
});

test('privileged: reason and detail as upstream, containers in init → regular → ephemeral order', () => {
  const spec = restrictedPod({
    initContainers: [c('init', { securityContext: { privileged: true } })],
    ephemeralContainers: [c('debug', { securityContext: { privileged: true } })],
  });
  (spec['containers'] as Spec[]).push(c('b', { securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }));
  const v = only(spec, 'baseline');
  assert.deepEqual(v, { check: 'privileged', reason: 'privileged', detail: 'containers "init", "b", "debug" must not set securityContext.privileged=true' });
  assert.equal(only({ containers: [c('a', { securityContext: { privileged: true } })] }, 'baseline').detail, 'container "a" must not set securityContext.privileged=true');
  assert.equal(evaluatePodSecurity({}, { containers: [c('a', { securityContext: { privileged: false } })] }, 'baseline').allowed, true);
  assert.equal(evaluatePodSecurity({}, { containers: [c('a', { securityContext: { privileged: null } })] }, 'baseline').allowed, true);
});

test('hostNamespaces lists every host namespace in a fixed order', () => {
  const v = only({ hostIPC: true, hostPID: true, hostNetwork: true, containers: [c('a')] }, 'baseline');
  assert.deepEqual(v, { check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true' });
});

test('hostPorts sorts port numbers as strings and pluralizes', () => {
  const spec = { containers: [c('a', { ports: [{ containerPort: 80 }] }), c('b', { ports: [{ containerPort: 8080, hostPort: 8080 }, { containerPort: 1000, hostPort: 1000 }] }), c('c', { ports: [{ containerPort: 90, hostPort: 90 }] })] };
  assert.equal(only(spec, 'baseline').detail, 'containers "b", "c" use hostPorts 1000, 8080, 90');
  assert.equal(only({ containers: [c('a', { ports: [{ hostPort: 20 }] })] }, 'baseline').detail, 'container "a" uses hostPort 20');
  assert.equal(evaluatePodSecurity({}, { containers: [c('a', { ports: [{ containerPort: 80, hostPort: 0 }] })] }, 'baseline').allowed, true);
});

test('capabilities: baseline default set, restricted drop ALL and NET_BIND_SERVICE only; restricted overrides baseline', () => {
  const spec = { containers: [c('a', { securityContext: { capabilities: { add: ['NET_RAW', 'CHOWN', 'SYS_ADMIN'] } } })] };
  assert.deepEqual(only(spec, 'baseline'), { check: 'capabilities_baseline', reason: 'non-default capabilities', detail: 'container "a" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add' });
  assert.equal(evaluatePodSecurity({}, { containers: [c('a', { securityContext: { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } } })] }, 'baseline').allowed, true);
  const r = evaluatePodSecurity({}, restrictedPod({}, { securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['CHOWN', 'FOO', 'NET_BIND_SERVICE'] } } }), 'restricted');
  assert.deepEqual(r.violations, [
    { check: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "app" must set securityContext.capabilities.drop=["ALL"]; container "app" must not include "CHOWN", "FOO" in securityContext.capabilities.add' },
  ]);
  // before v1.22 restricted used the baseline capability check
  assert.deepEqual(checks(restrictedPod({}, { securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['FOO'] } } }), 'restricted', 'v1.21'), ['capabilities_baseline']);
});

test('Windows pods are exempt from restricted allowPrivilegeEscalation, capabilities and seccomp from v1.25', () => {
  const windows = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [c('app')] };
  assert.deepEqual(checks(windows, 'restricted', 'v1.25'), []);
  assert.deepEqual(checks(windows, 'restricted', 'latest'), []);
  assert.deepEqual(checks(windows, 'restricted', 'v1.24'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  const linux = { ...windows, os: { name: 'linux' } };
  assert.deepEqual(checks(linux, 'restricted', 'v1.25'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
});

test('windowsHostProcess names the pod and the containers', () => {
  const spec = { securityContext: { windowsOptions: { hostProcess: true } }, containers: [c('e', { securityContext: { windowsOptions: { hostProcess: true } } }), c('f', { securityContext: { windowsOptions: { hostProcess: true } } })] };
  assert.deepEqual(only(spec, 'baseline'), { check: 'windowsHostProcess', reason: 'hostProcess', detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true' });
});

test('seLinuxOptions: container_engine_t allowed from v1.31, user and role forbidden', () => {
  const engine = { containers: [c('a', { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } })] };
  assert.deepEqual(checks(engine, 'baseline', 'v1.30'), ['seLinuxOptions']);
  assert.deepEqual(checks(engine, 'baseline', 'v1.31'), []);
  const spec = {
    securityContext: { seLinuxOptions: { type: 'foo', user: 'u', role: 'r' } },
    containers: [c('e', { securityContext: { seLinuxOptions: { type: 'bar' } } }), c('f', { securityContext: { seLinuxOptions: { user: 'x', level: 's0:c1' } } })],
  };
  assert.equal(only(spec, 'baseline').detail, 'pod and containers "e", "f" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set');
  assert.equal(evaluatePodSecurity({}, { containers: [c('a', { securityContext: { seLinuxOptions: { level: 's0:c1,c2' } } })] }, 'baseline').allowed, true);
});

test('procMount: baseline relaxes for user-namespace pods from v1.35, restricted does not', () => {
  const unmasked = (hostUsers?: boolean): Spec => ({ ...(hostUsers === undefined ? {} : { hostUsers }), containers: [c('d', { securityContext: { procMount: 'Unmasked' } }), c('e', { securityContext: { procMount: 'other' } })] });
  assert.deepEqual(only(unmasked(), 'baseline'), { check: 'procMount', reason: 'procMount', detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"' });
  assert.deepEqual(checks(unmasked(false), 'baseline', 'v1.34'), ['procMount']);
  assert.deepEqual(checks(unmasked(false), 'baseline', 'v1.35'), []);
  assert.deepEqual(checks(unmasked(true), 'baseline', 'v1.35'), ['procMount']);
  const r = evaluatePodSecurity({}, restrictedPod({ hostUsers: false }, { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }), 'restricted', 'latest');
  assert.deepEqual(r.violations.map((v) => [v.check, v.reason]), [['procMount_restricted', 'procMount']]);
});

test('seccomp: annotations before v1.19, fields from v1.19; restricted requires a profile', () => {
  const annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/b': 'unknown' };
  const spec = { containers: [c('a'), c('b')] };
  assert.equal(
    only(spec, 'baseline', 'v1.18', annotations).detail,
    'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
  );
  assert.equal(evaluatePodSecurity({ annotations }, spec, 'baseline', 'v1.19').allowed, true);
  const fields = { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('c', { securityContext: { seccompProfile: { type: 'Unconfined' } } }), c('d', { securityContext: { seccompProfile: { type: 'Unconfined' } } })] };
  assert.deepEqual(only(fields, 'baseline', 'v1.19'), { check: 'seccompProfile_baseline', reason: 'seccompProfile', detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' });
  assert.deepEqual(checks(fields, 'baseline', 'v1.18'), []);
  const unset = { securityContext: { runAsNonRoot: true }, containers: [c('a', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }), c('b', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } })] };
  assert.deepEqual(only(unset, 'restricted'), { check: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' });
  // container-level profiles without a pod-level one are enough
  const perContainer = structuredClone(unset) as unknown as { containers: Array<{ securityContext: Spec }> };
  for (const ct of perContainer.containers) ct.securityContext['seccompProfile'] = { type: 'Localhost', localhostProfile: 'p.json' };
  assert.equal(evaluatePodSecurity({}, perContainer, 'restricted').allowed, true);
});

test('appArmorProfile: fields and annotations, reason pluralized by the number of bad values', () => {
  assert.deepEqual(only({ containers: [c('bar', { securityContext: { appArmorProfile: { type: 'Unconfined' } } })] }, 'baseline'), {
    check: 'appArmorProfile',
    reason: 'forbidden AppArmor profile',
    detail: 'container "bar" must not set AppArmor profile type to "Unconfined"',
  });
  const annotations = { 'container.apparmor.security.beta.kubernetes.io/b': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/a': 'bad"value', 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/x' };
  const v = only({ securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [c('a'), c('b'), c('c')] }, 'baseline', 'latest', annotations);
  assert.equal(v.reason, 'forbidden AppArmor profiles');
  assert.equal(
    v.detail,
    String.raw`pod and annotations must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="bad\"value"", "container.apparmor.security.beta.kubernetes.io/b="unconfined""`,
  );
});

test('sysctls: the allowed set grows at v1.27, v1.29, v1.32 and v1.37', () => {
  const pod = (name: string): Spec => ({ securityContext: { sysctls: [{ name, value: '1' }] }, containers: [c('a')] });
  const cases: Array<[string, string]> = [
    ['net.ipv4.ip_local_reserved_ports', 'v1.27'],
    ['net.ipv4.tcp_keepalive_time', 'v1.29'],
    ['net.ipv4.tcp_rmem', 'v1.32'],
    ['net.ipv4.tcp_slow_start_after_idle', 'v1.37'],
    ['net.ipv4.tcp_notsent_lowat', 'v1.37'],
  ];
  for (const [name, from] of cases) {
    const before = `v1.${Number(from.slice(3)) - 1}`;
    assert.deepEqual(only(pod(name), 'baseline', before), { check: 'sysctls', reason: 'forbidden sysctls', detail: name }, `${name} before ${from}`);
    assert.equal(evaluatePodSecurity({}, pod(name), 'baseline', from).allowed, true, `${name} at ${from}`);
  }
  // latest is v1.37: the v1.37 sysctls are allowed there and at any newer version
  for (const v of ['latest', 'v1.38', 'v1.99']) assert.equal(evaluatePodSecurity({}, pod('net.ipv4.tcp_notsent_lowat'), 'baseline', v).allowed, true, v);
  assert.equal(evaluatePodSecurity({}, pod('net.core.somaxconn'), 'baseline', 'latest').allowed, false);
  const two = { securityContext: { sysctls: [{ name: 'b.x' }, { name: 'kernel.shm_rmid_forced' }, { name: 'a.y' }] }, containers: [c('a')] };
  assert.equal(only(two, 'baseline', 'v1.0').detail, 'b.x, a.y');
});

test('volumes: hostPath at baseline; restricted volume types replace it at restricted', () => {
  const spec = restrictedPod({ volumes: [{ name: 'a', hostPath: { path: '/etc' } }, { name: 'b', nfs: { server: 's', path: '/' } }, { name: 'c', emptyDir: {} }, { name: 'd' }, { name: 'e', emptyDir: null }, { name: 'f', hostPath: { path: '/var' } }] });
  assert.deepEqual(only(spec, 'baseline'), { check: 'hostPathVolumes', reason: 'hostPath volumes', detail: 'volumes "a", "f"' });
  assert.deepEqual(only(spec, 'restricted'), { check: 'restrictedVolumes', reason: 'restricted volume types', detail: 'volumes "a", "b", "f" use restricted volume types "hostPath", "nfs"' });
  assert.equal(only(restrictedPod({ volumes: [{ name: 'g', gitRepo: { repository: 'r' } }] }), 'restricted').detail, 'volume "g" uses restricted volume type "gitRepo"');
});

test('runAsNonRoot and runAsUser: explicit before implicit; user-namespace pods exempt from v1.35', () => {
  const base = restrictedPod();
  const explicit = structuredClone(base) as Spec & { securityContext: Spec };
  explicit.securityContext['runAsNonRoot'] = false;
  assert.deepEqual(only(explicit, 'restricted'), { check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false' });
  const implicit = structuredClone(base) as Spec & { securityContext: Spec };
  delete implicit.securityContext['runAsNonRoot'];
  assert.equal(only(implicit, 'restricted').detail, 'pod or container "app" must set securityContext.runAsNonRoot=true');
  assert.deepEqual(checks({ ...implicit, hostUsers: false }, 'restricted', 'v1.34'), ['runAsNonRoot']);
  assert.deepEqual(checks({ ...implicit, hostUsers: false }, 'restricted', 'v1.35'), []);

  const root = structuredClone(base) as Spec & { securityContext: Spec };
  root.securityContext['runAsUser'] = 0;
  assert.deepEqual(only(root, 'restricted'), { check: 'runAsUser', reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' });
  assert.deepEqual(checks(root, 'restricted', 'v1.22'), []);
  assert.deepEqual(checks({ ...root, hostUsers: false }, 'restricted', 'latest'), []);
  assert.deepEqual(checks({ ...root, hostUsers: false }, 'restricted', 'v1.34'), ['runAsUser']);
});

test('allowPrivilegeEscalation exists from v1.8 and requires an explicit false', () => {
  const spec = restrictedPod({}, { securityContext: { capabilities: { drop: ['ALL'] } } });
  assert.deepEqual(checks(spec, 'restricted', 'v1.7'), []);
  assert.deepEqual(only(spec, 'restricted', 'v1.8'), { check: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "app" must set securityContext.allowPrivilegeEscalation=false' });
});

test('hostProbesAndHostLifecycle from v1.34: sorted containers and hosts', () => {
  const spec = {
    containers: [
      c('b', { livenessProbe: { httpGet: { host: 'b.com', port: 80 } } }),
      c('a', { readinessProbe: { tcpSocket: { host: 'a.com', port: 80 } }, lifecycle: { preStop: { httpGet: { host: 'a.com', port: 1 } } } }),
      c('ok', { startupProbe: { httpGet: { port: 80 } } }),
    ],
  };
  assert.deepEqual(checks(spec, 'baseline', 'v1.33'), []);
  assert.deepEqual(only(spec, 'baseline', 'v1.34'), { check: 'hostProbesAndHostLifecycle', reason: 'probe or lifecycle host', detail: 'containers "a", "b" use probe or lifecycle hosts "a.com", "b.com"' });
});

test('several violations are reported in registry order and aggregated like the admission message', () => {
  const spec = { hostPID: true, containers: [c('a', { securityContext: { privileged: true } })], volumes: [{ name: 'h', hostPath: { path: '/' } }] };
  const r = evaluatePodSecurity({}, spec, 'baseline', 'v1.30');
  assert.deepEqual(r.violations.map((v) => v.check), ['hostNamespaces', 'hostPathVolumes', 'privileged']);
  assert.equal(
    admissionMessage('baseline', 'v1.30', r),
    'violates PodSecurity "baseline:v1.30": host namespaces (hostPID=true), hostPath volumes (volume "h"), privileged (container "a" must not set securityContext.privileged=true)',
  );
});

test('evaluatePssCheck returns pointers relative to the pod spec and mechanical fixes', () => {
  const spec = { containers: [c('a', { securityContext: { runAsUser: 1000 } })], initContainers: [c('i')] };
  const ape = evaluatePssCheck('allowPrivilegeEscalation', {}, spec);
  assert.deepEqual(ape.locations.map((l) => [l.pointer, l.fix]), [
    ['/initContainers/0/securityContext/allowPrivilegeEscalation', [{ op: 'add', path: '/initContainers/0/securityContext', value: { allowPrivilegeEscalation: false } }]],
    ['/containers/0/securityContext/allowPrivilegeEscalation', [{ op: 'add', path: '/containers/0/securityContext/allowPrivilegeEscalation', value: false }]],
  ]);
  const caps = evaluatePssCheck('capabilities_restricted', {}, { containers: [c('a', { securityContext: { capabilities: { drop: ['NET_RAW'] } } })] });
  assert.deepEqual(caps.locations[0]!.fix, [{ op: 'add', path: '/containers/0/securityContext/capabilities/drop/-', value: 'ALL' }]);
  const seccomp = evaluatePssCheck('seccompProfile_restricted', {}, { containers: [c('a')] });
  assert.deepEqual(seccomp.locations.map((l) => [l.pointer, l.fix]), [['/securityContext/seccompProfile', [{ op: 'add', path: '/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }]]]);
  const ann = evaluatePssCheck('appArmorProfile', { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } }, { containers: [c('a')] });
  assert.deepEqual(ann.locations.map((l) => [l.scope, l.pointer]), [['podMetadata', '/annotations/container.apparmor.security.beta.kubernetes.io~1a']]);
});

test('a pod spec visited again gives the same containers until its containers change', async () => {
  const { visitContainers } = await import('../../src/frameworks/pss/access.js');
  const spec: Record<string, unknown> = { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }] };
  const first = visitContainers(spec);
  assert.deepEqual(first.map((c) => [c.name, c.pointer]), [['i', '/initContainers/0'], ['a', '/containers/0'], ['b', '/containers/1']]);
  assert.equal(visitContainers(spec), first, 'reused');
  (spec['containers'] as Array<Record<string, unknown>>)[1] = { name: 'c' };
  assert.deepEqual(visitContainers(spec).map((c) => c.name), ['i', 'a', 'c'], 'a replaced container is seen');
  (spec['containers'] as Array<Record<string, unknown>>)[0]!['name'] = 'renamed';
  assert.deepEqual(visitContainers(spec).map((c) => c.name), ['i', 'renamed', 'c'], 'a renamed container is seen');
  (spec['containers'] as unknown[]).push({ name: 'd' });
  assert.equal(visitContainers(spec).length, 4, 'an added container is seen');
  spec['ephemeralContainers'] = [{ name: 'e' }];
  assert.deepEqual(visitContainers(spec).map((c) => c.pointer).at(-1), '/ephemeralContainers/0');
  const other = { containers: [{ name: 'x' }] };
  assert.deepEqual(visitContainers(other).map((c) => c.name), ['x']);
});
