import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: {} }, out: () => out, err: () => err };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-pss-'));
const workloads = path.join(dir, 'workloads.yaml');
writeFileSync(
  workloads,
  `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.33
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
        livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}
---
apiVersion: v1
kind: Pod
metadata: {name: tight, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: registry.example/app:1.0
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: true
          restartPolicy: Never
          containers:
          - {name: report, image: "registry.example/report:1.0", ports: [{containerPort: 9090}]}
`,
);
const clean = path.join(dir, 'clean.yaml');
writeFileSync(clean, 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers:\n  - {name: a, image: "registry.example/a:1.0"}\n');
const broken = path.join(dir, 'broken.yaml');
writeFileSync(broken, 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');

test('kordon pss --format json: shape, upstream ids, namespace enforcement and restricted readiness', async () => {
  const c = capture();
  const code = await main(['pss', workloads, '--level', 'baseline', '--version', 'v1.34', '--format', 'json'], c.io);
  assert.equal(code, 1);
  const report = JSON.parse(c.out());
  assert.deepEqual(Object.keys(report).sort(), ['level', 'policyVersion', 'problems', 'restrictedReadiness', 'results', 'version']);
  assert.equal(report.level, 'baseline');
  assert.equal(report.version, 'v1.34');
  assert.deepEqual(report.problems, []);
  const byName = new Map<string, any>(report.results.map((r: any) => [r.object.name, r]));
  assert.deepEqual([...byName.keys()], ['web', 'tight', 'report']);

  const web = byName.get('web');
  assert.deepEqual(web.object, { kind: 'Deployment', namespace: 'shop', name: 'web', file: workloads, line: 10 });
  assert.equal(web.allowed, false);
  assert.deepEqual(web.violations, [{ check: 'hostProbesAndHostLifecycle', reason: 'probe or lifecycle host', detail: 'container "web" uses probe or lifecycle host "10.0.0.1"' }]);
  // enforce baseline:v1.33 predates the probe-host check; warn (restricted:latest) does not
  assert.deepEqual(web.namespaceEnforcement, { level: 'baseline', version: 'v1.33', allowed: true, violations: [] });
  assert.equal(web.namespaceWarn.level, 'restricted');
  assert.deepEqual(
    web.namespaceWarn.violations.map((v: any) => v.check),
    ['hostProbesAndHostLifecycle', 'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
  );
  assert.equal(web.namespaceAudit, undefined);

  const tight = byName.get('tight');
  assert.equal(tight.allowed, true);
  assert.deepEqual(tight.violations, []);

  const cron = byName.get('report');
  assert.equal(cron.object.namespace, 'default');
  assert.deepEqual(cron.violations.map((v: any) => v.check), ['hostNamespaces']);
  assert.equal(cron.namespaceEnforcement, undefined);

  assert.deepEqual(
    report.restrictedReadiness.map((n: any) => [n.namespace, n.currentEnforce, n.ready, n.blocking.map((b: any) => b.object.name)]),
    [
      ['default', { level: 'privileged', version: 'latest' }, false, ['report']],
      ['shop', { level: 'baseline', version: 'v1.33' }, false, ['web']],
    ],
  );
});

test('a Pod with hostNetwork gets host ports defaulted from its container ports, as the API server does', async () => {
  const f = path.join(dir, 'hostnet.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Pod\nmetadata: {name: hn}\nspec:\n  hostNetwork: true\n  containers:\n  - {name: a, image: "i:1", ports: [{containerPort: 8080}]}\n');
  const c = capture();
  assert.equal(await main(['pss', f, '--level', 'baseline', '--format', 'json'], c.io), 1);
  const [result] = JSON.parse(c.out()).results;
  assert.deepEqual(result.violations.map((v: any) => [v.check, v.detail]), [
    ['hostNamespaces', 'hostNetwork=true'],
    ['hostPorts', 'container "a" uses hostPort 8080'],
  ]);
});

test('exit 0 when everything is admitted; no readiness section without labelled namespaces', async () => {
  const c = capture();
  assert.equal(await main(['pss', clean, '--level', 'baseline', '--format', 'json'], c.io), 0);
  const report = JSON.parse(c.out());
  assert.equal(report.version, 'latest');
  assert.equal(report.results[0].allowed, true);
  assert.equal('restrictedReadiness' in report, false);
});

test('input problems are listed in every format', async () => {
  const json = capture();
  assert.equal(await main(['pss', clean, broken, '--level', 'baseline', '--format', 'json'], json.io), 3);
  const report = JSON.parse(json.out());
  assert.equal(report.problems.length, 1);
  assert.equal(report.problems[0].source, broken);
  const pretty = capture();
  await main(['pss', clean, broken, '--level', 'baseline'], pretty.io);
  assert.match(pretty.out(), /Input problems:\n {2}.*broken\.yaml/);
});

test('usage errors exit 2: bad level, bad version, bad format, no paths', async () => {
  for (const args of [
    ['pss', clean, '--level', 'privileged-ish'],
    ['pss', clean, '--version', 'v0.9'],
    ['pss', clean, '--version', 'v1.05'],
    ['pss', clean, '--format', 'sarif'],
    ['pss'],
  ]) {
    const c = capture();
    assert.equal(await main(args, c.io), 2, args.join(' '));
    assert.match(c.err(), /kordon: /);
  }
});

test('pretty output names the verdict, the checks and the readiness; -o writes a file', async () => {
  const out = path.join(dir, 'report.txt');
  const c = capture();
  assert.equal(await main(['pss', workloads, '--level', 'restricted', '-o', out], c.io), 1);
  assert.equal(c.out(), '');
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^Pod Security admission dry run at restricted:latest/);
  assert.match(text, /REJECTED {2}Deployment shop\/web/);
  assert.match(text, /ALLOWED {3}Pod shop\/tight/);
  assert.match(text, /- seccompProfile_restricted: seccompProfile \(pod or container "web" must set securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"\)/);
  assert.match(text, /namespace enforce baseline:v1\.33: allowed/);
  assert.match(text, /shop \(enforce baseline:v1\.33\): 1 object would break/);
});

test('--version v1.37 and latest allow the sysctls v1.37 added to baseline; v1.36 rejects them; output says what latest means', async () => {
  const f = path.join(dir, 'sysctls-137.yaml');
  writeFileSync(
    f,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tuned, namespace: net}\nspec:\n  selector: {matchLabels: {app: t}}\n  template:\n    metadata: {labels: {app: t}}\n    spec:\n      securityContext:\n        sysctls:\n        - {name: net.ipv4.tcp_slow_start_after_idle, value: "0"}\n        - {name: net.ipv4.tcp_notsent_lowat, value: "16384"}\n      containers:\n      - {name: a, image: "registry.example/a:1.0"}\n',
  );
  const run = async (version: string) => {
    const c = capture();
    const code = await main(['pss', f, '--level', 'baseline', '--version', version, '--format', 'json'], c.io);
    return { code, report: JSON.parse(c.out()) };
  };
  for (const [version, policyVersion] of [['v1.37', 'v1.37'], ['latest', 'v1.37'], ['v1.40', 'v1.37']]) {
    const { code, report } = await run(version!);
    assert.equal(code, 0, version);
    assert.equal(report.version, version);
    assert.equal(report.policyVersion, policyVersion);
    assert.equal(report.results[0].allowed, true, version);
  }
  const old = await run('v1.36');
  assert.equal(old.code, 1);
  assert.equal(old.report.policyVersion, 'v1.36');
  assert.deepEqual(old.report.results[0].violations, [{ check: 'sysctls', reason: 'forbidden sysctls', detail: 'net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat' }]);
  const pretty = capture();
  await main(['pss', f, '--level', 'baseline'], pretty.io);
  assert.match(pretty.out(), /^Pod Security admission dry run at baseline:latest \(v1\.37 policy\)\n/);
  const help = capture();
  await main(['pss', '--help'], help.io);
  assert.match(help.out().replace(/\s+/g, ' '), /latest \(the newest policy kordon tracks, v1\.37\)/);
});
