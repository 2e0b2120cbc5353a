import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { applyObjects, objectPath } from '../support/apply.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { scanCluster, scanPaths } from '../../src/scan.js';
import { writeSnapshot } from '../../src/sources/cluster/snapshot.js';
import { formatReport, REPORT_FORMATS } from '../../src/report/index.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';
import type { Finding } from '../../src/engine/types.js';
import type { K8sObject } from '../../src/inventory/types.js';

const EXAMPLE_NAMESPACES = ['shop-web', 'shop-api', 'shop-data', 'observability', 'default'];
const API_KEY = 'pk_live_51HdemoKeyThatMustNeverBePrinted';
/** The example's Secret values, plain and as the API server stores them (base64). */
const SECRET_VALUES = [API_KEY, Buffer.from(API_KEY).toString('base64'), 'UHIwZC1EQi1wYTU1dzByZCE='];

let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void>;
let tmp: string;
let exampleObjects: K8sObject[];

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-cluster-'));
  const loaded = await loadManifests(['examples/shop']);
  assert.equal(loaded.problems.length, 0);
  exampleObjects = loaded.objects.map((o) => o.object);
  await applyObjects(cp, structuredClone(exampleObjects));
});

after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await release();
});

/** What must be identical between sources: everything but where the text was. */
function comparable(findings: Finding[]): unknown[] {
  return findings
    .map((f) => ({ id: f.controlId, object: f.object?.id, pointer: f.pointer, message: f.message, severity: f.severity, suppressed: f.suppressed ?? null }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test('a cluster scan finds what a scan of the same objects in files finds', async () => {
  const live = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: EXAMPLE_NAMESPACES });
  assert.equal(live.summary.problems.errors, 0, JSON.stringify(live.problems));
  assert.ok(live.findings.length > 0);
  // Every object of the same read, fetched again with plain unpaginated requests and written as
  // YAML files (Secrets aside: files hold their values, a cluster read never does).
  const docs: string[] = [];
  for (const c of live.coverage!) {
    if (c.count === 0 || c.kind === 'Secret') continue;
    const [group, version] = c.apiVersion.includes('/') ? c.apiVersion.split('/') : ['', c.apiVersion];
    const resource = c.resource.split('.')[0]!;
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const r = await apiRequest(cp, 'admin', 'GET', c.namespace ? `${base}/namespaces/${c.namespace}/${resource}` : `${base}/${resource}`);
    assert.equal(r.status, 200, c.resource);
    for (const item of r.body.items as K8sObject[]) docs.push(stringify({ ...item, apiVersion: c.apiVersion, kind: c.kind }));
  }
  writeFileSync(path.join(tmp, 'as-stored.yaml'), docs.join('---\n'));
  const files = await scanPaths([path.join(tmp, 'as-stored.yaml')]);
  assert.equal(files.summary.problems.errors, 0, JSON.stringify(files.problems));
  const notSecret = (f: Finding): boolean => f.object?.kind !== 'Secret';
  assert.ok(live.findings.some((f) => f.object?.name === 'storefront'), 'the example is in the live scan');
  assert.deepEqual(comparable(live.findings.filter(notSecret)), comparable(files.findings.filter(notSecret)));
  // cluster findings have no file position, and say where they came from
  assert.ok(live.sources[0]!.startsWith('cluster:'));
  assert.ok(live.findings.every((f) => f.location === undefined && f.via === 'cluster'));
});

test('secret values never leave the cluster reader', async () => {
  const live = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: EXAMPLE_NAMESPACES });
  for (const format of REPORT_FORMATS) {
    let out: string;
    try {
      out = formatReport(live, format, { color: false });
    } catch (err) {
      if (/not implemented/.test(String(err))) continue;
      throw err;
    }
    for (const v of SECRET_VALUES) assert.ok(!out.includes(v), `${format} report contains a secret value`);
  }
  const snap = path.join(tmp, 'secrets.json.gz');
  await writeSnapshot(snap, { kubeconfig: cp.adminKubeconfig, namespaces: ['shop-api', 'shop-data'] });
  const text = gunzipSync(readFileSync(snap)).toString('utf8');
  assert.ok(text.includes('"payment-provider"'), 'the Secret itself is in the snapshot');
  for (const v of SECRET_VALUES) assert.ok(!text.includes(v), 'snapshot holds a secret value');
  assert.ok(text.includes('"api-key":"<redacted>"'), 'Secret keys are kept, values redacted');
  // credentials hard-coded outside Secrets (an env value, a ConfigMap) are not copied either
  for (const v of ['Pr0d-DB-pa55w0rd!', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']) assert.ok(!text.includes(v), `snapshot holds the example's credential ${v}`);
  assert.ok(text.includes('"name":"DB_PASSWORD","value":"REDACTED"'), 'the variable is kept, its value redacted');
  assert.ok(/"redactedValues":[1-9]/.test(text), 'the snapshot says how many values it redacted');
});

test('credentials the snapshot redaction takes out, on the real API server: none in the snapshot, stdout, stderr, JSON or SARIF', async () => {
  const ns = 'kordon-canaries';
  const C = { curl: 'liveCurlPw-0001', mysql: 'liveMysqlPw-0002', bearer: 'liveBearer-0003', label: 'liveLabelTok-0004', helm: 'liveHelmPw-0005' };
  const release = { name: 'shop', namespace: ns, version: 1, info: { status: 'deployed' }, chart: { metadata: { name: 'shop', version: '1.0.0' }, values: { password: C.helm } }, config: { password: C.helm }, manifest: `password: ${C.helm}` };
  await applyObjects(cp, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sh.helm.release.v1.shop.v1', namespace: ns, labels: { owner: 'helm', name: 'shop', status: 'deployed', version: '1' } }, data: { release: gzipSync(JSON.stringify(release)).toString('base64') } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'backup', namespace: ns, labels: { app: 'backup', 'vault-token': C.label } }, spec: { selector: { matchLabels: { app: 'backup' } }, template: { metadata: { labels: { app: 'backup' } }, spec: { containers: [{ name: 'b', image: 'backup:1.0', command: ['sh', '-c', `curl -u ops:${C.curl} https://repo.example.com/x && mysqldump -u root -p${C.mysql} db`] }] } } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: ns, annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': `more_set_headers "Authorization: Bearer ${C.bearer}";` } }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
  ]);
  const file = path.join(tmp, 'canaries.json.gz');
  const snap = await runCli(['snapshot', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-n', ns, '-o', file, '-q']);
  assert.equal(snap.code, 0, snap.err);
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  assert.ok(text.includes('"vault-token":"REDACTED"') && text.includes('-u ops:REDACTED') && text.includes('-pREDACTED') && text.includes('Bearer REDACTED'), 'the redacted objects are in the snapshot');
  const outputs = [snap.out + snap.err, text];
  for (const format of ['json', 'sarif', 'pretty']) {
    for (const input of [[file], ['--cluster', '--kubeconfig', cp.adminKubeconfig, '-n', ns, '-q']]) {
      const r = await runCli(['scan', ...input, '-f', format]);
      assert.ok(r.code <= 1, r.err);
      outputs.push(r.out + r.err);
    }
  }
  for (const o of outputs) for (const c of Object.values(C)) assert.ok(!o.includes(c), `${c} was written out`);
  const cm = (JSON.parse(text) as { items: Array<{ kind: string; data?: Record<string, string> }> }).items.find((o) => o.kind === 'ConfigMap' && o.data?.['release'])!;
  const standIn = JSON.parse(gunzipSync(Buffer.from(cm.data!['release']!, 'base64')).toString('utf8'));
  assert.deepEqual([standIn.name, standIn.chart.metadata.name, standIn.chart.metadata.version], ['shop', 'shop', '1.0.0']);
  assert.ok(!JSON.stringify(standIn).includes(C.helm));
});

test('a snapshot rescans offline with identical findings', async () => {
  const snap = path.join(tmp, 'cluster.json.gz');
  const written = await writeSnapshot(snap, { kubeconfig: cp.adminKubeconfig, namespaces: EXAMPLE_NAMESPACES, concurrency: 3, pageSize: 5 });
  assert.ok(written.objects > exampleObjects.length);
  const live = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: EXAMPLE_NAMESPACES });
  const offline = await scanPaths([snap]);
  assert.deepEqual(offline.findings, live.findings);
  assert.deepEqual(offline.summary, live.summary);
  assert.deepEqual(offline.coverage, live.coverage);
  assert.equal(offline.serverVersion?.gitVersion, cp.kubernetesVersion);
});

test('lists are paginated: every object of a large collection is read', async () => {
  const ns = 'kordon-pages';
  const objs: K8sObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
  for (let i = 0; i < 23; i++) objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(2, '0')}`, namespace: ns }, data: { k: 'v' } });
  await applyObjects(cp, objs);
  const r = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [ns], pageSize: 4 });
  const cms = r.coverage!.find((c) => c.resource === 'configmaps' && c.namespace === ns)!;
  // (no controller-manager runs, so kube-root-ca.crt is not published into the namespace)
  assert.equal(cms.count, 23);
});

test('a restricted identity gets a coverage section, not a failed scan', async () => {
  const lines: string[] = [];
  const io = { stdout: (s: string) => void lines.push(s), stderr: () => {}, isTTY: false, env: {} };
  const code = await main(['scan', '--cluster', '--kubeconfig', cp.kubeconfigFor('alice'), '-f', 'json', '-q'], io);
  assert.equal(code, 3, 'input errors exit code');
  const report = JSON.parse(lines.join('')) as { problems: Array<{ code: string; message: string; source: string }>; coverage: Array<{ resource: string; status?: number }> };
  const forbidden = report.problems.filter((p) => p.code === 'forbidden');
  assert.ok(forbidden.length > 10);
  assert.ok(forbidden.some((p) => /cannot list secrets: 403 Forbidden/.test(p.message)), JSON.stringify(forbidden.slice(0, 3)));
  assert.ok(report.coverage.some((c) => c.resource === 'pods' && c.status === 403));
});

test('an unreachable API server is a clear error with exit code 4', async () => {
  const kc = path.join(tmp, 'unreachable.yaml');
  writeFileSync(kc, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9' } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
  const err: string[] = [];
  const code = await main(['scan', '--cluster', '--kubeconfig', kc, '-q'], { stdout: () => {}, stderr: (s) => void err.push(s), isTTY: false, env: {} });
  assert.equal(code, 4);
  assert.equal(err.join(''), 'kordon: cannot reach the API server (context "x", server https://127.0.0.1:9): connection refused (ECONNREFUSED)\n');
});

/** A kubeconfig for the test API server with the given user; its server URL may carry userinfo. */
function kubeconfigWith(name: string, user: Record<string, string>, server = cp.server): string {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': readFileSync(cp.caFile).toString('base64') } }], users: [{ name: 'u', user }], contexts: [{ name, context: { cluster: 'c', user: 'u' } }], 'current-context': name }));
  return file;
}

test('the real API server rejecting a bad token or an expired client certificate: exit 4, one line, no credential', async () => {
  const badToken = 'tok-live-NEVER-PRINTED-0001';
  const server = cp.server.replace('https://', 'https://ops:urlPw-live-NEVER-PRINTED@');
  // a client certificate from the cluster's own CA, expired yesterday
  const pki = path.join(tmp, 'expired-pki');
  mkdirSync(pki, { recursive: true });
  const openssl = (args: string[]): void => void execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  writeFileSync(path.join(pki, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\norganizationName=optional\n[ext]\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n');
  writeFileSync(path.join(pki, 'index.txt'), '');
  writeFileSync(path.join(pki, 'serial'), '1000\n');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'old.key', '-out', 'old.csr', '-subj', '/O=system:masters/CN=old-admin']);
  const day = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-extensions', 'ext', '-cert', cp.caFile, '-keyfile', path.join(path.dirname(cp.caFile), 'ca.key'), '-in', 'old.csr', '-out', 'old.crt', '-notext', '-startdate', day(new Date(Date.now() - 3 * 86400_000)), '-enddate', day(new Date(Date.now() - 86400_000))]);
  const cases: Array<[string, string]> = [
    [kubeconfigWith('bad-token', { token: badToken }, server), 'bad-token'],
    [kubeconfigWith('expired-cert', { 'client-certificate-data': readFileSync(path.join(pki, 'old.crt')).toString('base64'), 'client-key-data': readFileSync(path.join(pki, 'old.key')).toString('base64') }), 'expired-cert'],
  ];
  for (const [kc, context] of cases) {
    for (const args of [['scan', '--cluster'], ['snapshot', '--cluster', '-o', path.join(tmp, 'never.json.gz')], ['rbac', 'who-can', 'get', 'secrets', '--cluster']]) {
      const r = await runCli([...args, '--kubeconfig', kc, '-q']);
      assert.equal(r.code, 4, `${context} ${args[0]}: ${r.err}`);
      assert.equal(r.err, `kordon: cannot read the cluster (context "${context}", server ${cp.server}): GET /version: 401 Unauthorized: the API server rejected the credentials (a wrong or expired token or client certificate)\n`);
      assert.ok(!(r.out + r.err).includes('NEVER-PRINTED'));
    }
  }
  assert.ok(!existsSync(path.join(tmp, 'never.json.gz')));
});

test('the real API server, normal path: the page bound is a coverage entry, the rest is read', async () => {
  const ns = 'kordon-bounded';
  const objs: K8sObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
  for (let i = 0; i < 9; i++) objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns }, data: { k: 'v' } });
  await applyObjects(cp, objs);
  const r = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [ns], pageSize: 4, maxPages: 2, timeoutMs: 20_000 });
  const cms = r.coverage!.find((c) => c.resource === 'configmaps' && c.namespace === ns)!;
  assert.deepEqual([cms.count, cms.error], [8, 'TooManyPages']);
  assert.ok(r.problems.some((p) => p.message === `cannot list configmaps in namespace ${ns}: stopped after 2 pages (--max-pages) (after 8 objects)`));
  // every list longer than two pages is cut the same way (cluster roles, ...), each with its problem;
  // the others were read in full
  const cut = r.coverage!.filter((c) => c.error !== undefined);
  assert.ok(cut.length > 1 && cut.every((c) => c.error === 'TooManyPages' && c.count === 8), JSON.stringify(cut));
  assert.ok(r.coverage!.every((c) => c.error !== undefined || c.count <= 8));
  assert.equal(r.problems.filter((p) => /stopped after 2 pages/.test(p.message)).length, cut.length);
  assert.equal(r.summary.problems.errors, cut.length);
});

test('rbac who-can answers from the live cluster (bootstrap roles included) as from files', async () => {
  const live = await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop-api', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-f', 'json', '-q']);
  assert.equal(live.code, 0, live.err);
  const files = await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop-api', 'examples/shop', '-f', 'json']);
  type Answer = { subjects: Array<{ kind: string; name: string; namespace?: string; grants: Array<{ binding: string; role: string }> }> };
  const liveSubjects = (JSON.parse(live.out) as Answer).subjects;
  const fileSubjects = (JSON.parse(files.out) as Answer).subjects;
  // everything the files grant, the cluster grants the same way
  for (const s of fileSubjects) {
    const l = liveSubjects.find((x) => x.kind === s.kind && x.name === s.name && x.namespace === s.namespace);
    assert.ok(l, `${s.kind} ${s.name} missing from the live answer`);
    const liveGrants = new Set(l!.grants.map((g) => `${g.binding} -> ${g.role}`));
    for (const g of s.grants) assert.ok(liveGrants.has(`${g.binding} -> ${g.role}`), `${s.name}: ${g.binding} -> ${g.role}`);
  }
  // and the cluster's own bootstrap policy is there too (the log agent's cluster-admin binding resolves)
  const agent = liveSubjects.find((x) => x.kind === 'ServiceAccount' && x.name === 'log-agent');
  assert.ok(agent?.grants.some((g) => g.role === 'ClusterRole//cluster-admin'), JSON.stringify(agent));
});

test('netpol reach reads the live cluster like files', async () => {
  const live = await runCli(['netpol', 'reach', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-q']);
  assert.equal(live.code, 0, live.err);
  const files = await runCli(['netpol', 'reach', 'examples/shop']);
  const ours = (text: string): string[] => text.split('\n').filter((l) => l.includes(' => ') && l.split(' => ').every((side) => /^(shop-|observability\/|default\/nightly|\d)/.test(side.trim())));
  assert.ok(ours(files.out).length > 5);
  assert.deepEqual(ours(live.out), ours(files.out));
});

test('kordon plan reads the live cluster: the example privileged log agent is a quick win', async () => {
  const r = await runCli(['plan', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-f', 'json', '-q']);
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out) as { attackPaths: boolean; phases: Array<{ quadrant: string; actions: Array<{ controlId: string; examples: Array<{ object: string }> }> }> };
  assert.equal(plan.attackPaths, true);
  const quick = plan.phases.find((p) => p.quadrant === 'quick-win')!;
  const privileged = quick.actions.find((a) => a.controlId === 'KOR-0003');
  assert.ok(privileged, JSON.stringify(quick.actions.map((a) => a.controlId)));
  assert.ok(privileged.examples.some((e) => e.object === 'DaemonSet/observability/log-agent'));
});
