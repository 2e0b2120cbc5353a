import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryPath } from '../support/controlplane.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadInventory, scanPaths } from '../../src/scan.js';
import { formatReport } from '../../src/report/index.js';
import { loadManifests } from '../../src/sources/manifests/load.js';

const CHART = 'test/fixtures/helm/webapp';
const OVERLAY = 'test/fixtures/kustomize/overlay';
let helm: string;
let kustomize: string;

before(() => {
  // real binaries, built from the Go module proxy and cached (test/support/k8s/build.sh)
  helm = binaryPath('helm');
  kustomize = binaryPath('kustomize');
});

test('a Helm chart is rendered with the real helm and findings point at its templates', async () => {
  const r = await scanPaths([CHART], { helm: { binary: helm } });
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  const latest = r.findings.filter((f) => f.controlId === 'KOR-0100');
  assert.equal(latest.length, 1);
  const f = latest[0]!;
  assert.equal(f.object?.name, 'kordon-web');
  assert.equal(f.via, 'helm');
  assert.equal(f.location?.source, 'test/fixtures/helm/webapp/templates/deployment.yaml');
  assert.ok((f.location?.line ?? 0) > 1);
  assert.match(f.message, /registry\.example\.com\/webapp:latest/);
});

test('--values and --set are passed to helm template', async () => {
  const pinned = await scanPaths([CHART], { helm: { binary: helm, values: ['test/fixtures/helm/pinned-values.yaml'] } });
  assert.equal(pinned.findings.filter((f) => f.controlId === 'KOR-0100').length, 0);
  const set = await scanPaths([CHART], { helm: { binary: helm, set: ['image.tag=9.9.9', 'service.type=LoadBalancer'] } });
  assert.equal(set.findings.filter((f) => f.controlId === 'KOR-0100').length, 0);
  const loaded = await loadManifests([CHART], { helm: { binary: helm, set: ['service.type=LoadBalancer'] } });
  const svc = loaded.objects.find((o) => o.object.kind === 'Service')!;
  assert.equal((svc.object['spec'] as { type: string }).type, 'LoadBalancer');
  assert.equal(svc.origin.source, 'test/fixtures/helm/webapp/templates/service.yaml');
});

test('a chart whose helm is missing is reported, and the rest is still scanned', async () => {
  const r = await scanPaths([CHART, 'examples/shop/10-web.yaml'], { helm: { binary: '/nonexistent/helm' } });
  const p = r.problems.find((x) => x.code === 'tool-missing');
  assert.ok(p, 'tool-missing problem');
  assert.equal(p!.source, CHART);
  assert.match(p!.message, /Helm chart but "\/nonexistent\/helm" is not on PATH; install Helm 3/);
  assert.ok(r.findings.some((f) => f.location?.source === 'examples/shop/10-web.yaml'));
});

test('a broken chart is reported with helm\'s error', async () => {
  const bad = await scanPaths([CHART], { helm: { binary: helm, values: ['test/fixtures/helm/does-not-exist.yaml'] } });
  assert.equal(bad.summary.objects, 0);
  const p = bad.problems.find((x) => x.code === 'tool-failed');
  assert.ok(p);
  assert.match(p!.message, /helm template failed: .*does-not-exist\.yaml/);
});

test('a Kustomize overlay is built with the real kustomize', async () => {
  const r = await scanPaths([OVERLAY], { kustomize: { binary: kustomize } });
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  const f = r.findings.find((x) => x.controlId === 'KOR-0100');
  assert.ok(f);
  assert.equal(f!.object?.namespace, 'prod');
  assert.equal(f!.via, 'kustomize');
  assert.match(f!.message, /registry\.example\.com\/api:latest/);
});

test('a Kustomize directory without kustomize is reported, and the rest is still scanned', async () => {
  const r = await scanPaths([OVERLAY, 'examples/shop/10-web.yaml'], { kustomize: { binary: '/nonexistent/kustomize' } });
  const p = r.problems.find((x) => x.code === 'tool-missing');
  assert.ok(p);
  assert.equal(p!.source, OVERLAY);
  assert.match(p!.message, /Kustomize directory but/);
  assert.ok(r.findings.some((f) => f.location?.source === 'examples/shop/10-web.yaml'));
});

/* ---- charts and kustomizations shaped like real ones (test/corpus/sources) ---- */

const WEB = 'test/corpus/sources/charts/web';
const CANARIES = ['CANARY-values-file-7c41', 'CANARY-set-1a2b-xyz', 'CANARY-kustomize-literal-5d2e'];

test('chart findings point at the template line (or the one included helper) that produced the field, rendered from the chart', async () => {
  // locations of every control (de-duplication off: some of these are superseded by a more specific finding)
  const r = await scanPaths([WEB], { helm: { binary: helm }, dedupe: false });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.sources, [WEB]);
  const at = (id: string, pointer: string): string => {
    const f = r.findings.find((x) => x.controlId === id && x.pointer === pointer);
    assert.ok(f, `${id} ${pointer}: ${JSON.stringify(r.findings.map((x) => [x.controlId, x.pointer]))}`);
    assert.equal(f!.location?.renderedFrom, WEB);
    return `${f!.location!.source.slice(WEB.length + 1)}:${f!.location!.line}`;
  };
  // a field spelled in the template: its own line
  assert.equal(at('KOR-0113', '/spec/template/spec/containers/0/imagePullPolicy'), 'templates/deployment.yaml:24');
  // a field from `toYaml .Values.securityContext | nindent 12`: the key that renders it
  assert.equal(at('KOR-0003', '/spec/template/spec/containers/0/securityContext/privileged'), 'templates/deployment.yaml:25');
  // a container spelled in the template (`- name: {{ .Chart.Name }}`) and one from an included helper
  assert.equal(at('KOR-0104', '/spec/template/spec/containers/0'), 'templates/deployment.yaml:22');
  assert.equal(at('KOR-0104', '/spec/template/spec/containers/1'), 'templates/_helpers.tpl:24');
  assert.equal(at('KOR-0100', '/spec/template/spec/containers/1/image'), 'templates/_helpers.tpl:25');
  assert.equal(at('KOR-0006', '/spec/template/spec/containers/1/ports/0/hostPort'), 'templates/_helpers.tpl:29');
  // the second document of a template file, and objects from a `range`: their own documents' lines
  const binding = r.findings.find((x) => x.object?.kind === 'RoleBinding')!;
  assert.equal(binding.location!.source, `${WEB}/templates/rbac.yaml`);
  assert.ok(binding.location!.line >= 13 && binding.location!.line <= 25, String(binding.location!.line));
  const loaded = await loadManifests([WEB], { helm: { binary: helm } });
  const maps = loaded.objects.filter((o) => o.object.kind === 'ConfigMap');
  assert.deepEqual(maps.map((o) => [o.object.metadata.name, o.origin.source, o.origin.line]), [['kordon-feature-flags', `${WEB}/templates/configmaps.yaml`, 3], ['kordon-routes', `${WEB}/templates/configmaps.yaml`, 3]]);
  // every format says where it was rendered from
  for (const format of ['pretty', 'json', 'sarif', 'markdown', 'junit', 'html'] as const) {
    const out = formatReport(r, format, { color: false });
    assert.ok(out.includes(`rendered from ${WEB}`) || out.includes(`"renderedFrom": "${WEB}"`), `${format} says rendered from`);
  }
});

test('--default-namespace reaches .Release.Namespace and namespace-less objects; --release-name; a chart kubeVersion above helm\'s default renders', async () => {
  const r = await loadManifests([WEB, 'test/corpus/sources/charts/future'], { defaultNamespace: 'shop', helm: { binary: helm, releaseName: 'store' } });
  assert.deepEqual(r.problems, []);
  const deploy = r.objects.find((o) => o.object.kind === 'Deployment')!;
  assert.equal(deploy.object.metadata.namespace, 'shop');
  assert.equal(deploy.object.metadata.name, 'store-web');
  const cm = r.objects.find((o) => o.object.metadata.name === 'store-settings')!;
  assert.equal(cm.object.metadata.namespace, 'shop');
  assert.match(String((cm.object['data'] as Record<string, string>)['kube']), /^v1\.40\.0/);
  // a Service the template leaves without a namespace is in the namespace deployed to
  const { inventory } = await loadInventory([WEB], { defaultNamespace: 'shop', helm: { binary: helm } });
  assert.equal(inventory.namespaceOf(inventory.byKind('Service')[0]!.object), 'shop');
  // an explicit --kube-version the chart refuses is helm's clear error
  const old = await scanPaths(['test/corpus/sources/charts/future'], { helm: { binary: helm, kubeVersion: '1.29' } });
  assert.match(old.problems[0]!.message, /chart requires kubeVersion: >= 1\.40\.0-0 which is incompatible with Kubernetes v1\.29/);
});

test('files: --default-namespace only for namespaced kinds; custom resources without their CRD keep an unknown scope; -n filters', async () => {
  const { inventory } = await loadInventory(['test/corpus/sources/operators'], { defaultNamespace: 'shop' });
  const ns = (kind: string): string | undefined => inventory.byKind(kind)[0]!.object.metadata.namespace;
  assert.equal(ns('Deployment'), 'shop');
  assert.equal(ns('ClusterRole'), undefined);
  assert.equal(ns('Backup'), undefined, 'its CRD in the input says Cluster');
  assert.equal(ns('Prometheus'), undefined, 'no CRD: not assumed');
  const warnings = inventory.problems.filter((p) => p.code === 'unknown-scope');
  assert.deepEqual(warnings.map((p) => p.message.split(' object')[0]), ['a ClusterIssuer (cert-manager.io/v1)', 'a Prometheus (monitoring.coreos.com/v1)']);
  const filtered = await loadInventory(['test/corpus/sources/operators'], { defaultNamespace: 'shop', namespaces: ['other'] });
  assert.deepEqual(filtered.inventory.objects.map((o) => o.object.kind).sort(), ['Backup', 'ClusterRole', 'CustomResourceDefinition']);
  const cli = spawnSync(process.execPath, ['bin/kordon', 'scan', 'test/corpus/sources/operators', '-n', 'shop', '--default-namespace', 'shop', '-q', '-f', 'json'], { encoding: 'utf8' });
  assert.ok(JSON.parse(cli.stdout).findings.some((f: { object?: { namespace?: string } }) => f.object?.namespace === 'shop'));
  const bad = spawnSync(process.execPath, ['bin/kordon', 'scan', 'test/corpus/sources/operators', '--default-namespace', 'Not_A_Namespace'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

test('kustomize findings point at the resource file in the base, rendered from the overlay, without touching the kustomization', async () => {
  const before = readFileSync(`${OVERLAY}/kustomization.yaml`, 'utf8');
  const r = await scanPaths([OVERLAY], { kustomize: { binary: kustomize } });
  assert.equal(readFileSync(`${OVERLAY}/kustomization.yaml`, 'utf8'), before);
  assert.deepEqual(r.sources, [OVERLAY]);
  const f = r.findings.find((x) => x.controlId === 'KOR-0014')!;
  assert.deepEqual(f.location, { source: 'test/fixtures/kustomize/base/deployment.yaml', line: 15, column: 11, renderedFrom: OVERLAY });
  const loaded = await loadManifests([OVERLAY], { kustomize: { binary: kustomize } });
  assert.equal(loaded.objects[0]!.object.metadata.annotations?.['config.kubernetes.io/origin'], undefined, 'the origin annotation kordon asked for is removed');
});

test('tool errors never quote values: helm fail/required with values-file and --set canaries, kustomize literals', async () => {
  const leaky = 'test/corpus/sources/charts/leaky';
  const results = [
    await scanPaths([leaky], { helm: { binary: helm, set: ['strict=true'] } }),
    await scanPaths([leaky], { helm: { binary: helm, set: ['token=x', 'strict=true', 'database.password=CANARY-set-1a2b-xyz'] } }),
    await scanPaths(['test/corpus/sources/kustomize-leaky'], { kustomize: { binary: kustomize } }),
  ];
  for (const r of results) {
    assert.equal(r.problems[0]!.code, 'tool-failed');
    for (const format of ['pretty', 'json', 'sarif', 'markdown', 'junit', 'html'] as const) {
      const out = formatReport(r, format, { color: false });
      for (const c of CANARIES) assert.ok(!out.includes(c), `${format} leaks ${c}`);
    }
  }
  assert.match(results[0]!.problems[0]!.message, /execution error at \(leaky\/templates\/secret\.yaml:2:4\): database\.password … is too weak/);
  assert.match(results[2]!.problems[0]!.message, /invalid literal source …, expected key=value/);
  // through the CLI: stdout and stderr
  const cli = spawnSync(process.execPath, ['bin/kordon', 'scan', leaky, '--set', 'strict=true', '--set', 'database.password=CANARY-set-1a2b-xyz', '-f', 'sarif'], { encoding: 'utf8', env: { ...process.env, KORDON_HELM: helm } });
  assert.equal(cli.status, 3);
  for (const c of CANARIES) assert.ok(!cli.stdout.includes(c) && !cli.stderr.includes(c));
});

test('kustomize overlays with patches: a field a patch sets points at the patch (or the inline patch, or the namespace line), the rest at the base', async () => {
  const prod = 'test/corpus/sources/kustomize/overlays/prod';
  const r = await scanPaths([prod], { kustomize: { binary: kustomize }, dedupe: false });
  assert.deepEqual(r.problems, []);
  const at = (id: string, pointer: string): string => {
    const f = r.findings.find((x) => x.controlId === id && x.pointer === pointer && x.object?.kind === 'Deployment');
    assert.ok(f, `${id} ${pointer}`);
    assert.equal(f!.location?.renderedFrom, prod);
    return `${f!.location!.source.replace('test/corpus/sources/kustomize/', '')}:${f!.location!.line}`;
  };
  assert.equal(at('KOR-0003', '/spec/template/spec/containers/0/securityContext/privileged'), 'overlays/prod/privileged.yaml:12');
  assert.equal(at('KOR-0014', '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation'), 'overlays/prod/privileged.yaml:11');
  assert.equal(at('KOR-0002', '/spec/template/spec/hostNetwork'), 'overlays/prod/kustomization.yaml:15');
  assert.equal(at('KOR-0137', '/metadata/namespace'), 'overlays/prod/kustomization.yaml:3');
  assert.equal(at('KOR-0104', '/spec/template/spec/containers/0'), 'base/deployment.yaml:16');
  assert.equal(at('KOR-0111', '/spec/template/spec/containers/0/image'), 'base/deployment.yaml:17');
  const pod = r.findings.find((x) => x.object?.kind === 'Pod' && x.controlId === 'KOR-0100')!;
  assert.deepEqual(pod.location, { source: `${prod}/debug-pod.yaml`, line: 8, column: 7, renderedFrom: prod });
  // a generated ConfigMap points at its generator in the kustomization
  const loaded = await loadManifests([prod], { kustomize: { binary: kustomize } });
  const cm = loaded.objects.find((o) => o.object.kind === 'ConfigMap')!;
  assert.deepEqual([cm.origin.source, cm.origin.line], [`${prod}/kustomization.yaml`, 18]);
  assert.equal(loaded.locator.locate(cm.origin, '/data/LOG_LEVEL')?.line, 18);
  for (const o of loaded.objects) assert.deepEqual(Object.keys(o.object.metadata.annotations ?? {}).filter((k) => k.includes('config.kubernetes.io')), []);
});
