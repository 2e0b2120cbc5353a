import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInventory } from '../../src/scan.js';
import { readVulnInputs } from '../../src/sources/vulns/read.js';
import { readRuntimeInputs, readRuntimeText } from '../../src/sources/runtime/read.js';
import { analyseVulns } from '../../src/vulns/analyse.js';
import { compileEvidence, normalisePath, packageFilesOf, usedFiles } from '../../src/vulns/reachability.js';
import type { InputProblem } from '../../src/inventory/types.js';

const SHOP = 'test/corpus/vulns/shop';
const HUNDRED = 'test/corpus/vulns/hundred';

test('runtime readers: Kubescape profile, Tetragon events, Falco events and kordon evidence, normalised', async () => {
  const r = await readRuntimeInputs([`${SHOP}/runtime`]);
  assert.deepEqual(r.problems.map((p) => [p.source.split('/').pop(), p.line, p.severity, p.message]), [['tetragon-api.jsonl', 5, 'warning', '1 event(s) name no Kubernetes pod and container (host processes?); skipped']]);
  const summary = r.evidence.map((e) => ({ tool: e.tool, sel: e.selector, complete: e.complete, n: e.observations.length, window: e.window }));
  assert.deepEqual(summary, [
    { tool: 'falco', sel: { namespace: 'shop-api', pod: 'worker-29413260-k7x2p', container: 'worker', image: 'registry.example.com/acme/worker:3.2' }, complete: false, n: 2, window: { from: '2026-11-29T03:00:04.000000000Z', to: '2026-11-29T03:00:05.000000000Z' } },
    { tool: 'kordon', sel: { namespace: 'shop-api', workloadKind: 'Deployment', workload: 'api', container: 'api' }, complete: true, n: 3, window: { from: '2026-11-22T00:00:00Z', to: '2026-11-29T00:00:00Z' } },
    { tool: 'kubescape', sel: { namespace: 'shop-web', workloadKind: 'Deployment', workload: 'storefront', container: 'web', image: 'docker.io/library/nginx@sha256:42de49d302127345f707bb48515f5318bc4f4f88e9dbec069926913f47d909f5' }, complete: true, n: 14, window: { from: '2026-11-28T09:00:00Z' } },
    { tool: 'tetragon', sel: { namespace: 'shop-api', pod: 'api-7c9d8f6b5d-x2k9q', workload: 'api', workloadKind: 'Deployment', container: 'api', image: 'ghcr.io/acme/api@sha256:86084fc7e982af7b0ef24fecdbbf4ab94d679ea05b780911c4fd0d3bae976e69' }, complete: false, n: 4, window: { from: '2026-11-29T10:00:01.000Z', to: '2026-11-29T11:30:00Z' } },
  ]);
  const falco = r.evidence[0]!;
  assert.deepEqual(falco.observations, [{ kind: 'exec', value: '/bin/busybox' }, { kind: 'open', value: '/etc/shadow' }]);
});

test('a profile that is not complete never says "not observed"; broken event lines are problems, the rest is read', () => {
  const problems: InputProblem[] = [];
  const ev = readRuntimeText(
    'p.yaml',
    `apiVersion: spdx.softwarecomposition.kubescape.io/v1beta1
kind: ApplicationProfile
metadata:
  name: replicaset-x-1
  namespace: ns
  labels: { kubescape.io/workload-kind: Deployment, kubescape.io/workload-name: x }
  annotations: { kubescape.io/status: ready, kubescape.io/completion: complete }
spec:
  containers:
    - name: c
      opens: [{ path: /usr/lib/a.so }]
`,
    problems,
  );
  assert.equal(ev[0]!.complete, false);
  assert.match(ev[0]!.completeness, /status ready/);
  const lines = readRuntimeText('t.jsonl', '{"process_exec":{"process":{"binary":"/bin/a","pod":{"namespace":"n","name":"x-1","container":{"name":"c"}}}},"time":"2026-01-01T00:00:00Z"}\n{"process_exec":\n', problems);
  assert.equal(lines.length, 1);
  assert.deepEqual(problems.map((p) => [p.source, p.line, p.code]), [['t.jsonl', 2, 'json-syntax']]);
});

test('paths: usrmerge aliases are one file; ⋯ stands for one segment, * for any; metadata files stand for their package directory', () => {
  assert.equal(normalisePath('/lib/x86_64-linux-gnu/libz.so.1'), '/usr/lib/x86_64-linux-gnu/libz.so.1');
  assert.equal(normalisePath('/bin/busybox'), '/usr/bin/busybox');
  assert.equal(normalisePath('/usr/lib/x.so'), '/usr/lib/x.so');
  const files = packageFilesOf(['/usr/lib/a/x.so', '/var/lib/dpkg/status', '/usr/share/doc/a/copyright'], 'a');
  assert.deepEqual([...files.exact], ['/usr/lib/a/x.so'], 'package databases and docs are not code');
  const ev = (value: string) => compileEvidence({ tool: 'kordon', selector: {}, source: 's', observations: [{ kind: 'open', value, pattern: true }], complete: true, completeness: '' });
  assert.equal(usedFiles(files, [ev('/usr/lib/\u22ef/x.so')]).length, 1);
  assert.equal(usedFiles(files, [ev('/usr/\u22ef/x.so')]).length, 0, '⋯ is one segment');
  assert.equal(usedFiles(files, [ev('/usr/*/x.so')]).length, 1, '* crosses segments');
  const py = packageFilesOf(['/app/site-packages/PyYAML-6.0.dist-info/METADATA'], 'PyYAML');
  assert.deepEqual(py.prefixes, ['/app/site-packages/pyyaml/']);
  const node = packageFilesOf(['/app/node_modules/@scope/pkg/package.json'], '@scope/pkg');
  assert.deepEqual(node.prefixes, ['/app/node_modules/@scope/pkg/']);
});

async function hundred(evidence: string) {
  const { inventory } = await loadInventory([`${HUNDRED}/app.yaml`]);
  const v = await readVulnInputs([`${HUNDRED}/trivy.json`, `${HUNDRED}/syft.json`]);
  const r = await readRuntimeInputs([`${HUNDRED}/${evidence}`]);
  return { a: analyseVulns({ inventory, reports: v.reports, evidence: r.evidence }), problems: r.problems };
}

test('100 CVEs → 30: complete evidence rules out 70; 10 stay unknown because their files are not known', async () => {
  const { a } = await hundred('evidence-complete.yaml');
  assert.deepEqual(a.summary, { images: 1, vulnerabilities: 100, inUse: 20, notObserved: 70, unknown: 10, remaining: 30, workloadsWithFindings: 1, evidenceRecords: 1, evidenceUnmatched: 0 });
  const img = a.images[0]!;
  assert.deepEqual([img.vulnerabilities, img.inUse, img.notObserved, img.unknown, img.remaining], [100, 20, 70, 10, 30]);
  // in use: exactly the packages whose library was opened (under its /lib alias)
  assert.deepEqual([...new Set(a.vulnerabilities.filter((v) => v.inUse === 'yes').map((v) => v.package))].sort(), ['libp00', 'libp01', 'libp02', 'libp03', 'libp04', 'libp05', 'libp06', 'libp07', 'libp08', 'libp09']);
  assert.deepEqual([...new Set(a.vulnerabilities.filter((v) => v.inUse === 'unknown').map((v) => v.package))].sort(), ['libp45', 'libp46', 'libp47', 'libp48', 'libp49']);
  const yes = a.vulnerabilities.find((v) => v.package === 'libp03')!;
  assert.deepEqual(yes.evidence.files, [{ file: '/usr/lib/x86_64-linux-gnu/libp03.so.1', observed: 'open', as: '/lib/x86_64-linux-gnu/libp03.so.1', tool: 'kordon', source: `${HUNDRED}/evidence-complete.yaml`, line: 1 }]);
  const no = a.vulnerabilities.find((v) => v.package === 'libp30')!;
  assert.equal(no.inUse, 'no');
  assert.match(no.evidence.containers[0]!.reason, /stated complete for 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z/);
});

test('honesty: the same observations without a complete profile, or without a window, rule nothing out', async () => {
  for (const f of ['evidence-incomplete.yaml', 'evidence-no-window.yaml']) {
    const { a, problems } = await hundred(f);
    assert.deepEqual([a.summary.inUse, a.summary.notObserved, a.summary.unknown, a.summary.remaining], [20, 0, 80, 100], f);
    if (f === 'evidence-no-window.yaml') assert.match(problems[0]!.message, /complete without a window/);
  }
});

test('shop: complete evidence for one container of an image is not enough when another container of it has none', async () => {
  const { inventory } = await loadInventory([`${SHOP}/manifests`]);
  const v = await readVulnInputs([`${SHOP}/reports`]);
  const r = await readRuntimeInputs([`${SHOP}/runtime`]);
  const a = analyseVulns({ inventory, reports: v.reports, evidence: r.evidence });
  const verdict = Object.fromEntries(a.vulnerabilities.map((x) => [`${x.id} ${x.package}`, x.inUse]));
  assert.deepEqual(verdict, {
    'CVE-2023-45853 zlib1g': 'yes', // /usr/lib/…/libz opened by the storefront
    'CVE-2024-0727 libssl3': 'yes', // opened under its /lib alias
    'CVE-2024-29041 express': 'yes', // a profile wildcard inside the package directory
    'CVE-2023-47038 perl-base': 'unknown', // storefront: not observed; the api's nginx sidecar: no evidence
    'CVE-2024-2398 libcurl4': 'unknown',
    'CVE-2024-26130 cryptography': 'yes',
    'CVE-2024-35195 requests': 'yes', // the dist-info location stands for site-packages/requests/
    'CVE-2024-45491 libexpat1': 'no', // complete kordon evidence, the library never opened
    'CVE-2024-22195 jinja2': 'no',
    'CVE-2024-2961 libc6': 'unknown',
    'CVE-2023-42363 busybox': 'yes', // Falco: /bin/busybox executed by the CronJob's pod
    'CVE-2024-2511 libcrypto3': 'unknown', // Falco events are never complete
  });
  const perl = a.vulnerabilities.find((x) => x.package === 'perl-base')!;
  assert.deepEqual(perl.evidence.containers.map((c) => [c.workload, c.container, c.verdict]), [
    ['Deployment/shop-api/api', 'proxy', 'unknown'],
    ['Deployment/shop-web/storefront', 'web', 'no'],
    ['Pod/shop-api/debug', 'shell', 'unknown'],
  ]);
});

test('no manifests: evidence that names an image of the reports is a container of its own (method runtime)', async () => {
  const v = await readVulnInputs([`${HUNDRED}/trivy.json`, `${HUNDRED}/syft.json`]);
  const problems: InputProblem[] = [];
  const evidence = readRuntimeText(
    'e.yaml',
    `apiVersion: kordon.dev/v1alpha1
kind: RuntimeEvidence
containers:
  - namespace: hundred
    pod: app-7d9c8b6f5-x2k9q
    container: app
    image: registry.example.com/hundred/app@sha256:${'ab12'.repeat(16)}
    window: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }
    complete: true
    opened: [/usr/lib/x86_64-linux-gnu/libp07.so.1]
`,
    problems,
  );
  assert.deepEqual(problems, []);
  const a = analyseVulns({ reports: v.reports, evidence });
  assert.deepEqual(a.images[0]!.matches, [{ workload: 'Pod/hundred/app-7d9c8b6f5-x2k9q', container: 'app', method: 'runtime', image: `registry.example.com/hundred/app@sha256:${'ab12'.repeat(16)}` }]);
  assert.deepEqual([a.summary.inUse, a.summary.notObserved, a.summary.unknown], [2, 88, 10]);
});

test('soname links: a library opened by its soname counts for the file the package owns; never the development link', async () => {
  const { sonameLinksOf } = await import('../../src/vulns/reachability.js');
  assert.deepEqual(sonameLinksOf('/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'), ['/usr/lib/x86_64-linux-gnu/libz.so.1.2', '/usr/lib/x86_64-linux-gnu/libz.so.1']);
  assert.deepEqual(sonameLinksOf('/usr/lib/x86_64-linux-gnu/libssl.so.3'), []);
  assert.deepEqual(sonameLinksOf('/usr/lib/libfoo.so'), []);
  const files = packageFilesOf(['/usr/lib/x86_64-linux-gnu/libz.so.1.2.13', '/usr/share/doc/zlib1g/copyright'], 'zlib1g');
  assert.deepEqual([...files.exact], ['/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'], 'links are not counted as files');
  const ev = (value: string) => compileEvidence({ tool: 'kubescape', selector: {}, source: 's', observations: [{ kind: 'open', value }], complete: true, completeness: '' });
  assert.deepEqual(usedFiles(files, [ev('/lib/x86_64-linux-gnu/libz.so.1')]).map((d) => [d.file, d.as]), [['/usr/lib/x86_64-linux-gnu/libz.so.1.2.13', '/lib/x86_64-linux-gnu/libz.so.1']]);
  assert.equal(usedFiles(files, [ev('/usr/lib/x86_64-linux-gnu/libz.so')]).length, 0);
  assert.equal(usedFiles(files, [ev('/usr/lib/other/libz.so.1')]).length, 0, 'the link is in the library\'s directory');
  // opened by both names in one container's evidence: one decision, the file itself
  const both = compileEvidence({ tool: 'kubescape', selector: {}, source: 's', observations: [{ kind: 'open', value: '/lib/x86_64-linux-gnu/libz.so.1' }, { kind: 'open', value: '/usr/lib/x86_64-linux-gnu/libz.so.1.2.13' }], complete: true, completeness: '' });
  assert.deepEqual(usedFiles(files, [both]).map((d) => [d.file, d.as]), [['/usr/lib/x86_64-linux-gnu/libz.so.1.2.13', undefined]]);
});
