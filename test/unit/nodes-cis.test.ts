/**
 * `kordon node` and the CIS evaluator: a fake node root built in a temp dir (files with real
 * modes, /etc/passwd and /etc/group, a procfs-like tree of NUL-separated command lines), and
 * API facts from static pod manifests and KubeletConfiguration objects.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { CIS_ITEMS, evaluateCis } from '../../src/nodes/cis.js';
import { parseFlags } from '../../src/nodes/flags.js';
import { readNode } from '../../src/sources/node-host/read.js';
import type { NodeReport } from '../../src/nodes/report.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: {} });
  return { code, out, err };
}

let root: string;

function file(p: string, text: string, mode: number): void {
  const full = path.join(root, p);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
}
function proc(pid: number, argv: string[], environ: string[] = []): void {
  const dir = path.join(root, 'proc', String(pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cmdline'), argv.join('\0') + '\0');
  writeFileSync(path.join(dir, 'environ'), environ.join('\0') + '\0');
}

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-'));
  // the temp files belong to the test's user: name it root in the node's own passwd/group, as on a node
  file('/etc/passwd', `root:x:${uid}:${gid}:root:/root:/bin/sh\netcd:x:${uid + 1}:${gid + 1}::/var/lib/etcd:/sbin/nologin\n`, 0o644);
  file('/etc/group', `root:x:${gid}:\netcd:x:${gid + 1}:\n`, 0o644);
  file('/etc/hostname', 'cp-1\n', 0o644);
  file('/etc/kubernetes/manifests/kube-apiserver.yaml', 'apiVersion: v1\nkind: Pod\n', 0o600);
  file('/etc/kubernetes/manifests/kube-controller-manager.yaml', 'apiVersion: v1\nkind: Pod\n', 0o644); // too open
  file('/etc/kubernetes/manifests/kube-scheduler.yaml', 'apiVersion: v1\nkind: Pod\n', 0o600);
  file('/etc/kubernetes/manifests/etcd.yaml', 'apiVersion: v1\nkind: Pod\n', 0o600);
  file('/etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n', 0o640); // too open
  file('/etc/kubernetes/scheduler.conf', 'apiVersion: v1\nkind: Config\n', 0o600);
  file('/etc/kubernetes/controller-manager.conf', 'apiVersion: v1\nkind: Config\n', 0o600);
  file('/etc/kubernetes/kubelet.conf', 'apiVersion: v1\nkind: Config\n', 0o600);
  file('/etc/kubernetes/pki/ca.crt', 'CERT\n', 0o644);
  file('/etc/kubernetes/pki/ca.key', 'KEY\n', 0o600);
  file('/etc/kubernetes/pki/apiserver.key', 'KEY\n', 0o644); // too open
  file('/etc/kubernetes/enc/encryption.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n  - aescbc:\n      keys: []\n', 0o600);
  file('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\n', 0o644); // too open
  file('/var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\nrotateCertificates: true\n', 0o600);
  mkdirSync(path.join(root, 'var/lib/etcd'), { recursive: true });
  chmodSync(path.join(root, 'var/lib/etcd'), 0o755); // too open
  proc(1, ['/sbin/init']);
  proc(812, ['/usr/local/bin/kube-apiserver', '--authorization-mode=Node,RBAC', '--anonymous-auth=false', '--token-auth-file', '/etc/kubernetes/tokens.csv', '--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--profiling=false']);
  proc(813, ['etcd', '--data-dir=/var/lib/etcd', '--listen-client-urls=http://0.0.0.0:2379', '--initial-cluster=cp-1=http://10.0.0.10:2380'], ['HOME=/root', 'ETCD_CERT_FILE=/etc/kubernetes/pki/etcd/server.crt', 'SECRET_TOKEN=do-not-read-me']);
  proc(900, ['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--hostname-override=cp-1']);
  proc(950, ['/usr/bin/dockerd', '-H', 'fd://', '-H', 'tcp://0.0.0.0:2375']);
});
after(() => rmSync(root, { recursive: true, force: true }));

const byId = (r: NodeReport, id: string) => r.scopes[0]!.results.find((x) => x.id === id)!;

describe('kordon node --root (a fake node)', () => {
  test('every CIS item of sections 1–4 is answered, each once, with a reason', async () => {
    const { code, out } = await run(['node', '--root', root, '--format', 'json']);
    assert.equal(code, 0);
    const r = JSON.parse(out) as NodeReport;
    assert.equal(r.access, 'node');
    assert.equal(r.scopes[0]!.scope, 'node cp-1');
    assert.deepEqual(r.scopes[0]!.results.map((x) => x.id), CIS_ITEMS.map((i) => i.id));
    for (const x of r.scopes[0]!.results) assert.ok(x.reason.length > 5, `${x.id} has no reason`);
    assert.equal(CIS_ITEMS.length, 95); // 21 + 29 + 7 + 2 (1.x), 7 (2), 5 (3), 10 + 13 + 1 (4)
  });

  test('file permissions and owners are judged from the real files', async () => {
    const r = JSON.parse((await run(['node', '--root', root, '-f', 'json'])).out) as NodeReport;
    assert.equal(byId(r, '1.1.1').status, 'pass');
    assert.equal(byId(r, '1.1.2').status, 'pass', byId(r, '1.1.2').reason); // root:root by the node's passwd
    assert.equal(byId(r, '1.1.3').status, 'fail');
    assert.match(byId(r, '1.1.3').reason, /644/);
    assert.equal(byId(r, '1.1.13').status, 'fail');
    assert.equal(byId(r, '1.1.11').status, 'fail'); // etcd data dir 755
    assert.equal(byId(r, '1.1.12').status, 'fail'); // owned by root, not etcd
    assert.equal(byId(r, '1.1.21').status, 'fail');
    assert.match(byId(r, '1.1.21').reason, /apiserver\.key/);
    assert.equal(byId(r, '4.1.1').status, 'fail');
    assert.equal(byId(r, '4.1.5').status, 'pass');
    assert.equal(byId(r, '4.1.9').status, 'pass');
    assert.equal(byId(r, '1.1.9').status, 'not-applicable'); // no CNI files
  });

  test('command lines come from the proc tree; etcd settings from its ETCD_ environment; the encryption file is read', async () => {
    const r = JSON.parse((await run(['node', '--root', root, '-f', 'json'])).out) as NodeReport;
    assert.equal(byId(r, '1.2.1').status, 'pass');
    assert.equal(byId(r, '1.2.2').status, 'fail'); // --token-auth-file given as two words
    assert.equal(byId(r, '1.2.28').status, 'fail');
    assert.match(byId(r, '1.2.28').reason, /identity/);
    assert.equal(byId(r, '1.3.2').status, 'not-applicable'); // no controller-manager process
    assert.equal(byId(r, '2.2').status, 'fail');
    // ETCD_CERT_FILE counts; the key file is still missing
    assert.match(byId(r, '2.1').reason, /--key-file is not set/);
    assert.ok(!JSON.stringify(r).includes('do-not-read-me'), 'other environment variables are never read');
  });

  test('kubelet settings: the config file, flags over it, flag-only items', async () => {
    const r = JSON.parse((await run(['node', '--root', root, '-f', 'json'])).out) as NodeReport;
    assert.equal(byId(r, '4.2.1').status, 'fail');
    assert.match(byId(r, '4.2.1').reason, /config\.yaml/);
    assert.equal(byId(r, '4.2.2').status, 'pass');
    assert.equal(byId(r, '4.2.4').status, 'pass'); // readOnlyPort defaults to 0 in a config file
    assert.equal(byId(r, '4.2.7').status, 'fail'); // --hostname-override
    assert.equal(byId(r, '4.2.13').status, 'fail');
  });

  test('Docker on tcp://…:2375 without --tlsverify is reported, and --fail-on exits 1', async () => {
    const { code, out } = await run(['node', '--root', root, '--fail-on', 'critical']);
    assert.equal(code, 1);
    assert.match(out, /\[FAIL\] docker-tcp-without-tls critical .*tcp:\/\/0\.0\.0\.0:2375/);
    assert.match(out, /\d+ fail, \d+ pass/);
  });

  test('an unreadable kubelet config is a problem naming the file; the rest is still judged (exit 3)', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-broken-'));
    try {
      mkdirSync(path.join(broken, 'proc/7'), { recursive: true });
      writeFileSync(path.join(broken, 'proc/7/cmdline'), ['kubelet', '--config=/etc/kubelet.yaml', '--read-only-port=10255'].join('\0'));
      mkdirSync(path.join(broken, 'etc'), { recursive: true });
      writeFileSync(path.join(broken, 'etc/kubelet.yaml'), 'authentication:\n  anonymous: [unclosed\n');
      const { code, out } = await run(['node', '--root', broken, '-f', 'json']);
      assert.equal(code, 3);
      const r = JSON.parse(out) as NodeReport;
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!.message, /\/etc\/kubelet\.yaml:\d+: the kubelet configuration is not valid YAML/);
      assert.equal(byId(r, '4.2.4').status, 'fail'); // the flag is still read
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  test('the same node gives byte-identical JSON', async () => {
    const a = (await run(['node', '--root', root, '-f', 'json'])).out;
    const b = (await run(['node', '--root', root, '-f', 'json'])).out;
    assert.equal(a, b);
  });

  test('SARIF, JUnit and Markdown say what the JSON says: failures, items to review, the Docker check', async () => {
    const json = JSON.parse((await run(['node', '--root', root, '-f', 'json'])).out) as NodeReport;
    const failed = json.scopes[0]!.results.filter((x) => x.status === 'fail').map((x) => x.id);
    const review = json.scopes[0]!.results.filter((x) => x.status === 'manual' || x.status === 'needs-node-access').map((x) => x.id);
    assert.ok(failed.length > 3);

    const sarifRun = await run(['node', '--root', root, '-f', 'sarif']);
    const log = JSON.parse(sarifRun.out) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; kind: string; level: string; message: { text: string } }> }> };
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0]!.results;
    assert.deepEqual(results.filter((x) => x.kind === 'fail' && x.ruleId.startsWith('CIS-')).map((x) => x.ruleId.slice(4)), failed);
    assert.deepEqual(results.filter((x) => x.kind === 'review' && x.ruleId.startsWith('CIS-')).map((x) => x.ruleId.slice(4)), review);
    for (const x of results) assert.equal(log.runs[0]!.tool.driver.rules[x.ruleIndex]!.id, x.ruleId);
    assert.ok(results.some((x) => x.ruleId === 'docker-tcp-without-tls' && x.level === 'error'));
    // valid against the SARIF 2.1.0 schema
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const { readFileSync } = await import('node:fs');
    const schemaFile = path.join(path.dirname(require('@microsoft/sarif-multitool') as string), 'sarif-2.1.0.json');
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (a: unknown) => void;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));

    const junit = (await run(['node', '--root', root, '-f', 'junit'])).out;
    assert.match(junit, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.deepEqual(json.extra.filter((e) => e.status === 'fail').map((e) => e.id), ['docker-tcp-without-tls', 'node-logs-forwarded']);
    assert.equal((junit.match(/<failure /g) ?? []).length, failed.length + 2, 'each failed item, the Docker check and the node logs kept on the node');
    assert.equal((junit.match(/<skipped /g) ?? []).length, json.scopes[0]!.results.filter((x) => x.status !== 'fail' && x.status !== 'pass').length + json.extra.filter((e) => e.status === 'unknown').length);
    assert.equal((junit.match(/<testcase /g) ?? []).length, json.scopes[0]!.results.length + json.extra.length);

    const md = (await run(['node', '--root', root, '-f', 'markdown'])).out;
    for (const id of failed) assert.match(md, new RegExp(`\\| ${id.replace(/\./g, '\\.')} \\|`));
    assert.match(md, /docker-tcp-without-tls/);
    assert.doesNotMatch(sarifRun.out + junit + md, /do-not-read-me/, 'no environment value but ETCD_ ones');
    assert.equal((await run(['node', '--root', root, '-f', 'sarif'])).out, sarifRun.out, 'deterministic');
  });

  test('readNode without a proc tree says so', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-empty-'));
    try {
      const r = readNode(empty);
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!.message, /cannot list the processes/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('flags as pflag reads them', () => {
  test('=value, separate values, bare booleans, last one wins', () => {
    const f = parseFlags(['kube-apiserver', '--profiling', '--etcd-servers', 'https://a:2379', '--v=2', '--v=4', '--anonymous-auth', 'positional']);
    assert.equal(f.binary, 'kube-apiserver');
    assert.equal(f.values.get('profiling'), 'true');
    assert.equal(f.values.get('etcd-servers'), 'https://a:2379');
    assert.equal(f.values.get('v'), '4');
    assert.equal(f.values.get('anonymous-auth'), 'true');
  });
});

describe('kordon node from the API (static pod manifests, KubeletConfiguration)', () => {
  test('a kubeadm control plane: flags judged, files need node access, every item answered', async () => {
    const { code, out } = await run(['node', '-f', 'json', 'test/fixtures/controls/KOR-0503/fail/kubeadm-default.yaml', 'test/fixtures/controls/KOR-0510/fail/plain-http.yaml', 'test/fixtures/controls/KOR-0512/pass/kubeadm.yaml']);
    assert.equal(code, 0);
    const r = JSON.parse(out) as NodeReport;
    assert.equal(r.access, 'api');
    const all = r.scopes.flatMap((s) => s.results.map((x) => x.id));
    for (const it of CIS_ITEMS) assert.ok(all.includes(it.id), `${it.id} is not answered`);
    const res = (id: string) => r.scopes.flatMap((s) => s.results).find((x) => x.id === id)!;
    assert.equal(res('1.1.1').status, 'needs-node-access');
    assert.equal(res('1.2.1').status, 'fail');
    assert.equal(res('1.2.6').status, 'pass');
    assert.equal(res('1.2.27').status, 'fail');
    assert.equal(res('2.2').status, 'fail');
    assert.equal(res('4.2.1').status, 'pass');
    assert.equal(res('4.2.7').status, 'needs-node-access');
    assert.equal(res('1.3.2').status, 'needs-node-access'); // no controller-manager pod in the inputs
    assert.equal(res('3.1.1').status, 'manual');
  });

  test('with no control-plane pods (a managed cluster) sections 1–3 need node access, with the reason', () => {
    const results = evaluateCis({ access: 'api', components: {} });
    const r = results.find((x) => x.id === '1.2.6')!;
    assert.equal(r.status, 'needs-node-access');
    assert.match(r.reason, /managed control plane/);
  });
});

describe('the catalogue maps CIS sections 1–4', () => {
  test('every item the API can answer is reported by a KOR-05xx control; file and review items by none', async () => {
    const { allControls } = await import('../../src/controls/index.js');
    const mapped = new Map<string, string[]>();
    for (const c of allControls) if (/^KOR-05\d\d$/.test(c.id)) for (const id of c.frameworks.cis ?? []) mapped.set(id, [...(mapped.get(id) ?? []), c.id]);
    for (const it of CIS_ITEMS) {
      const by = mapped.get(it.id) ?? [];
      if (it.basis === 'review' || (it.basis === 'files' && it.id !== '1.2.28') || it.id === '4.2.7') assert.deepEqual(by, [], `${it.id} cannot fail from the API, yet ${by.join(', ')} maps it`);
      else assert.equal(by.length, 1, `${it.id} (${it.basis}) is mapped by ${by.length} controls: ${by.join(', ')}`);
    }
    for (const id of mapped.keys()) assert.ok(CIS_ITEMS.some((i) => i.id === id), `a control maps ${id}, which is no item`);
  });
});
