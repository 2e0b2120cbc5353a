import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { readCluster } from '../../src/sources/cluster/read.js';
import type { K8sObject } from '../../src/inventory/types.js';

// Fault injection in front of the list calls: the real API server never answers 429/503 on
// demand, so the retry path is exercised against a small loopback server speaking the same
// discovery and list protocol.
let server: http.Server;
let kubeconfig: string;
let tmp: string;
const hits = new Map<string, number>();
const faults = new Map<string, Array<{ status: number; retryAfter?: string }>>();

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const key = url.pathname + (url.searchParams.get('continue') ? `?continue=${url.searchParams.get('continue')}` : '');
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const fault = faults.get(key)?.shift();
    if (fault) return json(res, fault.status, { kind: 'Status', reason: fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    switch (url.pathname) {
      case '/version':
        return json(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0-fake' });
      case '/api':
        return json(res, 200, { versions: ['v1'] });
      case '/apis':
        return json(res, 200, { groups: [] });
      case '/api/v1':
        return json(res, 200, {
          groupVersion: 'v1',
          resources: [
            { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'get'] },
            { name: 'secrets', kind: 'Secret', namespaced: true, verbs: ['list', 'get'] },
            { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
          ],
        });
      case '/api/v1/configmaps': {
        const page = url.searchParams.get('continue') ? 2 : 1;
        const items = page === 1 ? [{ metadata: { name: 'a', namespace: 'n' } }, { metadata: { name: 'b', namespace: 'n' } }] : [{ metadata: { name: 'c', namespace: 'n' } }];
        return json(res, 200, { metadata: page === 1 ? { continue: 'page2' } : {}, items });
      }
      case '/api/v1/secrets':
        return json(res, 403, { kind: 'Status', reason: 'Forbidden' });
      default:
        return json(res, 404, { kind: 'Status', reason: 'NotFound' });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-client-'));
  kubeconfig = path.join(tmp, 'kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: fake\n  context: {cluster: c, user: u}\ncurrent-context: fake\n`);
});

after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('429 and 5xx answers are retried with backoff (Retry-After honoured); pages are followed', async () => {
  hits.clear();
  faults.set('/api/v1/configmaps', [{ status: 429, retryAfter: '0' }, { status: 503 }]);
  faults.set('/api/v1/configmaps?continue=page2', [{ status: 500 }]);
  const objects: K8sObject[] = [];
  const r = await readCluster({ kubeconfig, backoffMs: 1, onObject: (o) => void objects.push(o) });
  assert.deepEqual(objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`), ['v1/ConfigMap/a', 'v1/ConfigMap/b', 'v1/ConfigMap/c']);
  assert.equal(hits.get('/api/v1/configmaps'), 3);
  assert.equal(hits.get('/api/v1/configmaps?continue=page2'), 2);
  assert.equal(r.source, 'cluster:fake');
  const cm = r.coverage.find((c) => c.resource === 'configmaps')!;
  assert.equal(cm.count, 3);
  // the 403 is coverage, not a failure
  const sec = r.coverage.find((c) => c.resource === 'secrets')!;
  assert.equal(sec.status, 403);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.code, 'forbidden');
  assert.match(r.problems[0]!.message, /cannot list secrets: 403 Forbidden/);
});

test('retries stop after the limit and the resource is reported, not the scan aborted', async () => {
  hits.clear();
  faults.set('/api/v1/configmaps', Array.from({ length: 10 }, () => ({ status: 503 })));
  const r = await readCluster({ kubeconfig, backoffMs: 1, retries: 2, onObject: () => {} });
  assert.equal(hits.get('/api/v1/configmaps'), 3);
  const cm = r.coverage.find((c) => c.resource === 'configmaps')!;
  assert.equal(cm.status, 503);
  assert.ok(r.problems.some((p) => p.code === 'api-error' && /cannot list configmaps: 503 ServiceUnavailable/.test(p.message)));
  faults.clear();
});

test('a kubeconfig that cannot be loaded is a clear error (exit 4) naming the file, never quoting it', async () => {
  const { main } = await import('../../src/cli/main.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-kc-'));
  try {
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nusers:\n- name: u\n  user: {token: "tok-NEVER-PRINTED"\n');
    const cases: Array<[string[], RegExp]> = [
      [['scan', '--cluster', '--kubeconfig', path.join(dir, 'missing.yaml'), '-q'], /cannot load the kubeconfig .*missing\.yaml: no such file/],
      [['scan', '--cluster', '--kubeconfig', broken, '-q'], /cannot load the kubeconfig .*broken\.yaml: not a valid kubeconfig/],
      [['snapshot', '--cluster', '--kubeconfig', dir, '-o', path.join(dir, 's.json.gz'), '-q'], /cannot load the kubeconfig .*: is a directory/],
    ];
    for (const [args, want] of cases) {
      const err: string[] = [];
      const code = await main(args, { stdout: () => {}, stderr: (s) => void err.push(s), isTTY: false, env: {} });
      assert.equal(code, 4, `${args.join(' ')}: ${err.join('')}`);
      assert.match(err.join(''), want);
      assert.ok(!err.join('').includes('tok-NEVER-PRINTED'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
