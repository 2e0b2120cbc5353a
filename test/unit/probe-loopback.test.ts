/**
 * `kordon probe` against servers this test starts on loopback: a Docker-Engine-like API without
 * TLS, a kubelet read-only port, a kube-proxy metrics endpoint, a plain web server, a closed port;
 * and the bounds (targets, CIDR size, deadline).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCli } from '../support/cli.js';
import { expandTargets, probeTargets } from '../../src/probe/probe.js';

const servers: http.Server[] = [];
const port: Record<string, number> = {};

function serve(name: string, handler: http.RequestListener): Promise<void> {
  const s = http.createServer(handler);
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => {
    port[name] = (s.address() as AddressInfo).port;
    resolve();
  }));
}

before(async () => {
  await serve('docker', (req, res) => {
    if (req.url === '/version') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Platform: { Name: 'Docker Engine - Community' }, Version: '24.0.7', ApiVersion: '1.43', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }));
    } else res.writeHead(404).end('{"message":"page not found"}');
  });
  await serve('readonly', (req, res) => {
    if (req.url === '/pods') res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] }));
    else res.writeHead(404).end('404 page not found');
  });
  await serve('metrics', (req, res) => {
    if (req.url === '/metrics') res.end('# HELP kubeproxy_sync_proxy_rules_duration_seconds SyncProxyRules latency\nkubeproxy_sync_proxy_rules_duration_seconds_count 12\n');
    else res.writeHead(404).end('404 page not found');
  });
  await serve('web', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>'));
  // a port that was open a moment ago and is now closed
  const tmp = net.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
  port['closed'] = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});
after(() => {
  for (const s of servers) s.close();
});

describe('kordon probe on loopback', () => {
  test('identifies each service by what it answers, not by its port', async () => {
    const ports = ['docker', 'readonly', 'metrics', 'web', 'closed'].map((n) => port[n]).join(',');
    const r = await runCli(['probe', '--no-endpoint', '--hosts', '127.0.0.1', '--ports', ports, '-f', 'json', '--timeout', '1500']);
    assert.equal(r.code, 1, r.err); // something exposed
    const j = JSON.parse(r.out) as { targets: Array<{ port: number; service: string; verdict: string; severity?: string; detail: string }>; summary: { probed: number; open: number; exposed: number } };
    const at = (n: string) => j.targets.find((t) => t.port === port[n])!;
    assert.deepEqual([at('docker').service, at('docker').verdict, at('docker').severity], ['docker', 'exposed', 'critical']);
    assert.match(at('docker').detail, /Docker Engine API 24\.0\.7 over plain HTTP/);
    assert.deepEqual([at('readonly').service, at('readonly').verdict], ['kubelet-read-only', 'exposed']);
    assert.deepEqual([at('metrics').service, at('metrics').verdict], ['kube-proxy-metrics', 'exposed']);
    assert.deepEqual([at('web').service, at('web').verdict], ['http', 'unidentified']);
    assert.deepEqual([at('closed').service, at('closed').verdict], ['closed', 'closed']);
    assert.deepEqual(j.summary, { probed: 5, open: 4, exposed: 3 });
    assert.ok(!r.out.includes('<html>'), 'bodies are never repeated');
  });

  test('pretty output names every open port once', async () => {
    const r = await runCli(['probe', '--no-endpoint', '--hosts', '127.0.0.1', '--ports', `${port['docker']},${port['closed']}`]);
    assert.match(r.out, new RegExp(`^2 host:port probed, 1 open\\n\\[EXPOSED critical\\] 127\\.0\\.0\\.1:${port['docker']} docker: `, 'm'));
    assert.doesNotMatch(r.out, new RegExp(`:${port['closed']} `));
  });

  test('bounds: CIDR size, targets, and the deadline', async () => {
    assert.deepEqual(expandTargets(['10.0.0.4/30', 'node-1'], 16), ['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7', 'node-1']);
    assert.throws(() => expandTargets(['10.0.0.0/16'], 1024), /65536 addresses, more than --max-targets 1024/);
    const big = await runCli(['probe', '--no-endpoint', '--hosts', '127.0.0.0/28', '--max-targets', '20']);
    assert.equal(big.code, 2);
    assert.match(big.err, /144 host:port pairs, more than --max-targets 20/);
    const none = await runCli(['probe', '--no-endpoint']);
    assert.equal(none.code, 2);
    // a deadline already passed: nothing is probed, everything is counted as skipped
    const r = await probeTargets([{ host: '127.0.0.1', port: port['docker']! }, { host: '127.0.0.1', port: port['web']! }], { timeoutMs: 500, concurrency: 1, deadlineMs: 0 });
    assert.equal(r.results.length, 0);
    assert.equal(r.skipped, 2);
  });
});
