/**
 * Faulty API servers: real HTTP(S) servers on loopback that serve discovery and misbehave on
 * chosen paths (a 401, an answer that is not JSON, 503s, TLS a client cannot trust, a refused
 * or reset connection, a body cut short, bytes trickled slower than any timeout, an endless
 * `continue`). What the server cannot answer at the start is exit 4 with one line naming the
 * context and the server; a resource that fails later is a coverage gap and the rest is read.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { readCluster } from '../../src/sources/cluster/read.js';
import { displayServer, UnreachableError } from '../../src/sources/cluster/client.js';
import { runCli } from '../support/cli.js';

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

const PASSWORD = 'urlPw-NEVER-PRINTED-31337';
const TOKEN = 'tok-NEVER-PRINTED-4242';

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const cm = (name: string): object => ({ metadata: { name, namespace: 'n' }, data: { k: 'v' } });

/** A well-behaved API server with four resources; `faults` replace the answer of a path. */
function apiServer(faults: Map<string, Behaviour>): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const fault = faults.get(url.pathname);
    if (fault) return fault(req, res, url);
    switch (url.pathname) {
      case '/version':
        return json(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0-faulty' });
      case '/api':
        return json(res, 200, { kind: 'APIVersions', versions: ['v1'] });
      case '/apis':
        return json(res, 200, { groups: [{ name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' } }] });
      case '/api/v1':
        return json(res, 200, {
          groupVersion: 'v1',
          resources: [
            { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list'] },
            { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] },
            { name: 'services', kind: 'Service', namespaced: true, verbs: ['list'] },
          ],
        });
      case '/apis/example.com/v1':
        return json(res, 200, { groupVersion: 'example.com/v1', resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['list'] }] });
      case '/api/v1/configmaps':
        return json(res, 200, { kind: 'ConfigMapList', metadata: {}, items: [cm('a'), cm('b')] });
      case '/api/v1/pods':
      case '/api/v1/services':
      case '/apis/example.com/v1/widgets':
        return json(res, 200, { metadata: {}, items: [] });
      default:
        return json(res, 404, { kind: 'Status', reason: 'NotFound' });
    }
  };
}

let tmp: string;
const servers: net.Server[] = [];

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function kubeconfig(name: string, server: string, extra: { ca?: string; insecure?: boolean } = {}): string {
  const file = path.join(tmp, `${name}.kubeconfig`);
  const cluster = [`server: "${server}"`, ...(extra.ca ? [`certificate-authority: "${extra.ca}"`] : []), ...(extra.insecure ? ['insecure-skip-tls-verify: true'] : [])].join(', ');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {${cluster}}\nusers:\n- name: u\n  user: {token: "${TOKEN}"}\ncontexts:\n- name: ${name}\n  context: {cluster: c, user: u}\ncurrent-context: ${name}\n`);
  return file;
}

/** An HTTP API server with the given faults; returns its kubeconfig. */
async function faulty(name: string, faults: Record<string, Behaviour>): Promise<string> {
  const port = await listen(http.createServer(apiServer(new Map(Object.entries(faults)))));
  return kubeconfig(name, `http://127.0.0.1:${port}`, { insecure: true });
}

/** What every fatal error must look like: one line, exit 4, naming context and server, no secret, no stack. */
function assertFatal(r: { code: number; out: string; err: string }, context: string, server: RegExp, why: RegExp): void {
  assert.equal(r.code, 4, r.err);
  const lines = r.err.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, new RegExp(`^kordon: .*context "${context}"`));
  assert.match(lines[0]!, server);
  assert.match(lines[0]!, why);
  assert.doesNotMatch(r.err, /\n\s+at |Error:/);
  for (const s of [PASSWORD, TOKEN]) assert.ok(!r.err.includes(s) && !r.out.includes(s), 'a credential was printed');
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-faults-'));
});

after(() => {
  for (const s of servers) {
    (s as http.Server).closeAllConnections?.();
    s.close();
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('what the server must answer at the start: exit 4, one line naming context and server', () => {
  test('401 from /version (a bad token)', async () => {
    const kc = await faulty('bad-token', { '/version': (_q, res) => json(res, 401, { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' }) });
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kc, '-q']), 'bad-token', /server http:\/\/127\.0\.0\.1:\d+/, /401 Unauthorized: the API server rejected the credentials/);
  });

  test('an answer that is not JSON from /version, and JSON that is not a version', async () => {
    const kc = await faulty('html', { '/version': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>') });
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kc, '-q']), 'html', /127\.0\.0\.1/, /GET \/version: the answer is not JSON \(is this a Kubernetes API server\?\)/);
    const kc2 = await faulty('array', { '/version': (_q, res) => json(res, 200, [1, 2]) });
    assertFatal(await runCli(['pss', '--cluster', '--kubeconfig', kc2, '-q']), 'array', /127\.0\.0\.1/, /not a version object/);
  });

  test('503 from /apis and from /api (after retries), malformed discovery', async () => {
    const unavailable: Behaviour = (_q, res) => json(res, 503, { kind: 'Status', reason: 'ServiceUnavailable' }, { 'retry-after': '0' });
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', await faulty('apis-503', { '/apis': unavailable }), '-q']), 'apis-503', /127\.0\.0\.1/, /GET \/apis: 503 ServiceUnavailable/);
    assertFatal(await runCli(['snapshot', '--cluster', '--kubeconfig', await faulty('api-503', { '/api': unavailable }), '-o', path.join(tmp, 'never.json.gz'), '-q']), 'api-503', /127\.0\.0\.1/, /GET \/api: 503 ServiceUnavailable/);
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', await faulty('api-shape', { '/api': (_q, res) => json(res, 200, {}) }), '-q']), 'api-shape', /127\.0\.0\.1/, /GET \/api: the answer is not an APIVersions object/);
  });

  test('connection refused, and a connection reset on every try', async () => {
    const closed = await listen(net.createServer());
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('refused', `http://127.0.0.1:${closed}`, { insecure: true }), '-q']), 'refused', new RegExp(`server http://127\\.0\\.0\\.1:${closed}`), /connection refused/);
    const kc = await faulty('reset', { '/version': (req) => req.socket.destroy() });
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kc, '-q']), 'reset', /127\.0\.0\.1/, /GET \/version: .*(reset|closed|hang up)/i);
  });

  test('a server URL that is not one, and one with a password in it', async () => {
    const bad = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('bad-url', `https://admin:${PASSWORD}@exa mple:port`), '-q']);
    assertFatal(bad, 'bad-url', /"https:\/\/exa mple:port"/, /is not a valid https:\/\/ URL/);
    const port = await listen(http.createServer(apiServer(new Map([['/version', (_q, res) => json(res, 401, { reason: 'Unauthorized' })]]))));
    const r = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('userinfo', `http://admin:${PASSWORD}@127.0.0.1:${port}`, { insecure: true }), '-q']);
    assertFatal(r, 'userinfo', new RegExp(`server http://127\\.0\\.0\\.1:${port}`), /401/);
    assert.equal(displayServer(`https://u:${PASSWORD}@h:6443/`), 'https://h:6443');
    assert.equal(displayServer(`u:${PASSWORD}@h`), 'h');
  });

  test('TLS: a certificate the kubeconfig does not trust, and one for another host', async () => {
    const pki = path.join(tmp, 'pki');
    execFileSync('mkdir', ['-p', pki]);
    const openssl = (args: string[]): void => void execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=faulty-ca']);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=elsewhere']);
    writeFileSync(path.join(pki, 'ext.cnf'), 'subjectAltName=DNS:elsewhere.example\n');
    openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '7', '-days', '2', '-out', 'srv.crt', '-extfile', 'ext.cnf']);
    const server = https.createServer({ key: readFileSync(path.join(pki, 'srv.key')), cert: readFileSync(path.join(pki, 'srv.crt')) }, apiServer(new Map()));
    const port = await listen(server);
    // no CA: the chain is not trusted
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('untrusted', `https://127.0.0.1:${port}`), '-q']), 'untrusted', /127\.0\.0\.1/, /cannot reach the API server .*(certificate|TLS)/i);
    // the right CA, but the certificate names another host
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('wrong-host', `https://127.0.0.1:${port}`, { ca: path.join(pki, 'ca.crt') }), '-q']), 'wrong-host', /127\.0\.0\.1/, /altnames|ALTNAME/i);
    // https spoken to a plain http server
    const plain = await listen(http.createServer(apiServer(new Map())));
    assertFatal(await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig('not-tls', `https://127.0.0.1:${plain}`), '-q']), 'not-tls', /127\.0\.0\.1/, /TLS handshake failed: the server does not speak TLS on this port/);
  });

  test('the library throws UnreachableError (never a TypeError) for all of these', async () => {
    const kc = await faulty('lib', { '/apis': (_q, res) => json(res, 200, { groups: 'nope' }) });
    await assert.rejects(readCluster({ kubeconfig: kc, onObject: () => {} }), (e: unknown) => e instanceof UnreachableError && /not an APIGroupList/.test((e as Error).message));
  });
});

describe('a resource that fails after the start is a coverage gap; the rest is read (exit 3)', () => {
  /** Pods trickle, services hang, widgets are cut short, and configmaps are fine. */
  const trickle: Behaviour = (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
    }, 50);
    res.on('close', () => clearInterval(timer));
  };
  const hang: Behaviour = () => {};
  const cut: Behaviour = (_q, res) => {
    const body = JSON.stringify({ metadata: {}, items: [cm('x'), cm('y')] });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.write(body.slice(0, 40));
    setTimeout(() => res.socket?.destroy(), 20);
  };

  test('trickle, hang and a body cut short: each a gap with its reason, the rest reported', async () => {
    const kc = await faulty('partial', { '/api/v1/pods': trickle, '/api/v1/services': hang, '/apis/example.com/v1/widgets': cut });
    const started = Date.now();
    const names: string[] = [];
    const r = await readCluster({ kubeconfig: kc, timeoutMs: 600, backoffMs: 1, onObject: (o) => void names.push(o.metadata.name as string) });
    assert.ok(Date.now() - started < 10_000, 'the trickling server was cut off');
    assert.deepEqual(names.sort(), ['a', 'b']);
    const gap = (res: string) => r.coverage.find((c) => c.resource === res)!;
    assert.equal(gap('configmaps').error, undefined);
    assert.equal(gap('pods').error, 'Timeout');
    assert.equal(gap('services').error, 'Timeout');
    assert.equal(gap('widgets.example.com').error, 'ConnectionReset');
    const messages = r.problems.map((p) => p.message);
    assert.ok(messages.some((m) => /cannot list pods: no complete answer within 0\.6 s/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /cannot list services: no (complete )?answer/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /cannot list widgets\.example\.com: the connection was closed before the whole answer arrived/.test(m)), messages.join('\n'));
    // and on the command line: the report, with the gaps, exit 3
    const cli = await runCli(['scan', '--cluster', '--kubeconfig', kc, '--timeout', '0.6', '-f', 'json', '-q']);
    assert.equal(cli.code, 3, cli.err);
    const report = JSON.parse(cli.out) as { coverage: Array<{ resource: string; error?: string; count: number }>; problems: Array<{ message: string }> };
    assert.deepEqual(report.coverage.map((c) => `${c.resource}:${c.count}:${c.error ?? ''}`), ['configmaps:2:', 'pods:0:Timeout', 'services:0:Timeout', 'widgets.example.com:0:ConnectionReset']);
  });

  test('an endless continue is cut at --max-pages; a repeated token at once', async () => {
    let served = 0;
    const endless: Behaviour = (_q, res, url) => {
      served++;
      const n = Number(url.searchParams.get('continue') ?? '0');
      json(res, 200, { metadata: { continue: String(n + 1) }, items: [cm(`e${n}`)] });
    };
    const loop: Behaviour = (_q, res) => json(res, 200, { metadata: { continue: 'same' }, items: [cm('loop')] });
    const kc = await faulty('endless', { '/api/v1/pods': endless, '/api/v1/services': loop });
    const cli = await runCli(['scan', '--cluster', '--kubeconfig', kc, '--max-pages', '5', '-f', 'json', '-q']);
    assert.equal(cli.code, 3, cli.err);
    assert.equal(served, 5);
    const report = JSON.parse(cli.out) as { coverage: Array<{ resource: string; error?: string; count: number }>; problems: Array<{ message: string }> };
    assert.deepEqual(report.coverage.map((c) => `${c.resource}:${c.count}:${c.error ?? ''}`), ['configmaps:2:', 'pods:5:TooManyPages', 'services:2:RepeatedContinue', 'widgets.example.com:0:']);
    assert.ok(report.problems.some((p) => p.message === 'cannot list pods: stopped after 5 pages (--max-pages) (after 5 objects)'), JSON.stringify(report.problems));
    assert.ok(report.problems.some((p) => /cannot list services: the server repeated a continue token; stopped \(after 2 objects\)/.test(p.message)));
  });

  test('503 and 401 on one resource, a list that is no list, items that are no objects or nest too deep', async () => {
    let deep: unknown = {};
    for (let i = 0; i < 2000; i++) deep = { x: deep };
    const kc = await faulty('odd', {
      '/api/v1/pods': (_q, res) => json(res, 503, { reason: 'ServiceUnavailable' }, { 'retry-after': '0' }),
      '/api/v1/services': (_q, res) => json(res, 200, { items: { not: 'a list' } }),
      '/apis/example.com/v1/widgets': (_q, res) => json(res, 401, { reason: 'Unauthorized' }),
      '/api/v1/configmaps': (_q, res) => res.writeHead(200).end(`{"items":[null,7,"s",${JSON.stringify(cm('ok'))},{"metadata":{"name":"deep"},"spec":${JSON.stringify(deep)}}]}`),
    });
    const names: string[] = [];
    const r = await readCluster({ kubeconfig: kc, backoffMs: 1, onObject: (o) => void names.push(o.metadata.name as string) });
    assert.deepEqual(names, ['ok']);
    const messages = r.problems.map((p) => p.message);
    assert.deepEqual(messages, [
      'cannot list pods: 503 ServiceUnavailable',
      'cannot list services: the answer is not a list',
      'cannot list widgets.example.com: 401 Unauthorized',
      'configmaps: 4 list items are not objects or are nested more than 512 levels deep; skipped',
    ]);
  });
});
