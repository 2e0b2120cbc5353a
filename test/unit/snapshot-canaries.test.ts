/**
 * Canary credentials in every place the snapshot redaction covers, served by a loopback API
 * server whose URL itself holds a password: none of them may appear in the snapshot file, in
 * stdout or stderr of `kordon snapshot`, or in any report format of a scan of the cluster or of
 * the snapshot.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli } from '../support/cli.js';
import { REPORT_FORMATS } from '../../src/report/index.js';

const C = {
  url: 'cnryUrlPw0001',
  curl: 'cnryCurlPw0002',
  mysql: 'cnryMysqlPw0003',
  flag: 'cnryFlagPw0004',
  basic: 'cnryBasicPw0005',
  bearer: 'cnryBearerTok0006',
  crField: 'cnryCrPw0007',
  crDeep: 'cnryCrApiKey0008',
  label: 'cnryLabelTok0009',
  helm: 'cnryHelmPw0010',
  env: 'cnryEnvPw0011',
  secret: 'cnrySecretVal0012',
};
const CANARIES = [...Object.values(C), Buffer.from(`ops:${C.basic}`).toString('base64'), Buffer.from(C.secret).toString('base64')];

const release = { name: 'shop', namespace: 'shop', version: 2, info: { status: 'deployed', notes: `db password ${C.helm}` }, chart: { metadata: { name: 'shop', version: '0.4.1' }, values: { password: C.helm } }, config: { password: C.helm }, manifest: `password: ${C.helm}\n` };

const OBJECTS: Record<string, object[]> = {
  '/api/v1/configmaps': [{ metadata: { name: 'sh.helm.release.v1.shop.v2', namespace: 'shop', labels: { owner: 'helm', name: 'shop', status: 'deployed', version: '2' } }, data: { release: gzipSync(JSON.stringify(release)).toString('base64') } }],
  '/api/v1/secrets': [{ metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: Buffer.from(C.secret).toString('base64') } }],
  '/apis/apps/v1/deployments': [
    {
      metadata: { name: 'backup', namespace: 'shop', labels: { app: 'backup', 'vault-token': C.label } },
      spec: {
        selector: { matchLabels: { app: 'backup' } },
        template: {
          metadata: { labels: { app: 'backup' } },
          spec: {
            containers: [
              {
                name: 'backup',
                image: 'backup:1.0',
                command: ['sh', '-c', `curl -fsS -u ops:${C.curl} https://repo.example.com/dump && mysqldump -u root -p${C.mysql} shop | gzip > /b/x.gz`],
                args: ['--admin-password', C.flag],
                env: [{ name: 'DB_PASSWORD', value: C.env }],
              },
            ],
          },
        },
      },
    },
  ],
  '/apis/networking.k8s.io/v1/ingresses': [{ metadata: { name: 'web', namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': `proxy_set_header Authorization "Basic ${Buffer.from(`ops:${C.basic}`).toString('base64')}";\nmore_set_headers "Authorization: Bearer ${C.bearer}";` } }, spec: { rules: [] } }],
  '/apis/db.example.com/v1/databases': [{ metadata: { name: 'orders', namespace: 'shop' }, spec: { auth: { adminPassword: C.crField }, replicas: [{ name: 'r1', connection: { apiKey: C.crDeep } }] } }],
};

const RESOURCES: Record<string, Array<{ name: string; kind: string }>> = {
  '/api/v1': [{ name: 'configmaps', kind: 'ConfigMap' }, { name: 'secrets', kind: 'Secret' }],
  '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment' }],
  '/apis/networking.k8s.io/v1': [{ name: 'ingresses', kind: 'Ingress' }],
  '/apis/db.example.com/v1': [{ name: 'databases', kind: 'Database' }],
};

let server: http.Server;
let tmp: string;
let kubeconfig: string;

before(async () => {
  server = http.createServer((req, res) => {
    const p = new URL(req.url!, 'http://x').pathname;
    const send = (body: unknown, status = 200): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (p === '/version') return send({ major: '1', minor: '35', gitVersion: 'v1.35.0-canary' });
    if (p === '/api') return send({ versions: ['v1'] });
    if (p === '/apis') return send({ groups: ['apps/v1', 'networking.k8s.io/v1', 'db.example.com/v1'].map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: 'v1' }] })) });
    if (RESOURCES[p]) return send({ groupVersion: p.replace(/^\/apis?\//, ''), resources: RESOURCES[p]!.map((r) => ({ ...r, namespaced: true, verbs: ['list'] })) });
    if (OBJECTS[p]) return send({ metadata: {}, items: structuredClone(OBJECTS[p]) });
    send({ reason: 'NotFound' }, 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-canary-'));
  kubeconfig = path.join(tmp, 'kubeconfig');
  const port = (server.address() as AddressInfo).port;
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://ops:${C.url}@127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: canary\n  context: {cluster: c, user: u}\ncurrent-context: canary\n`);
});

after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function assertClean(where: string, text: string): void {
  for (const c of CANARIES) assert.ok(!text.includes(c), `${where} holds the canary ${c}`);
}

test('no canary in the snapshot, in what kordon prints, or in any report of the cluster or the snapshot', async () => {
  const file = path.join(tmp, 'cluster.json.gz');
  const snap = await runCli(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '-o', file, '-q']);
  assert.equal(snap.code, 0, snap.err);
  assertClean('snapshot stdout/stderr', snap.out + snap.err);
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  assertClean('the snapshot file', text);
  // what was kept: the objects, the Helm release's chart, the server without its password
  const parsed = JSON.parse(text) as { items: Array<{ kind: string; data?: Record<string, string> }>; server: string; redactedValues: number };
  assert.equal(parsed.items.length, 5);
  assert.match(parsed.server, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(parsed.redactedValues >= 8, `${parsed.redactedValues} values redacted`);
  const helm = parsed.items.find((o) => o.kind === 'ConfigMap')!;
  const standIn = JSON.parse(gunzipSync(Buffer.from(helm.data!['release']!, 'base64')).toString('utf8'));
  assert.deepEqual(standIn.chart.metadata, { name: 'shop', version: '0.4.1' });
  assertClean('the Helm release stand-in', JSON.stringify(standIn));
  for (const format of REPORT_FORMATS) {
    for (const input of [[file], ['--cluster', '--kubeconfig', kubeconfig, '-q']]) {
      const r = await runCli(['scan', ...input, '-f', format]);
      assert.ok(r.code === 0 || r.code === 1, `${format} ${input[0]}: exit ${r.code} ${r.err}`);
      assertClean(`scan ${input[0]} -f ${format}`, r.out + r.err);
    }
  }
  // and the same findings from the cluster and from its snapshot
  const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-q', '-f', 'json'])).out) as { findings: unknown[] };
  const offline = JSON.parse((await runCli(['scan', file, '-f', 'json'])).out) as { findings: unknown[] };
  assert.ok(live.findings.length > 5);
  assert.deepEqual(offline.findings, live.findings);
});
