/**
 * The node's own logs forwarded to a remote server (NSA-CISA audit logging: SYSLOG), read from
 * rsyslog, syslog-ng and systemd-journal-upload configuration under a node root
 * (test/corpus/ctl8/node-syslog/<case>/), and the `node-logs-forwarded` item of `kordon node --root`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFiles } from '../../src/sources/node-host/read.js';
import { syslogForwarding } from '../../src/sources/node-host/syslog.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus/ctl8/node-syslog');
const of = (name: string): ReturnType<typeof syslogForwarding> => syslogForwarding(nodeFiles(path.join(CORPUS, name)));

test('rsyslog: a legacy @@ action forwards, a commented one does not', () => {
  assert.deepEqual(of('rsyslog-legacy').forwards, ['rsyslog (/etc/rsyslog.conf line 8)']);
  const local = of('rsyslog-local');
  assert.deepEqual(local.forwards, []);
  assert.deepEqual(local.read, ['/etc/rsyslog.conf', '/etc/rsyslog.d/20-ufw.conf']);
});

test('rsyslog: a forwarding action behind a condition', () => {
  assert.deepEqual(of('rsyslog-conditional').forwards, ['rsyslog (/etc/rsyslog.d/30-kubelet.conf line 2)']);
});

test('rsyslog: an omfwd action spanning lines in rsyslog.d', () => {
  assert.deepEqual(of('rsyslog-modern').forwards, ['rsyslog omfwd (/etc/rsyslog.d/60-remote.conf line 2)']);
});

test('syslog-ng: a network destination counts only when a log statement uses it', () => {
  assert.deepEqual(of('syslog-ng-remote').forwards, ['syslog-ng (/etc/syslog-ng/conf.d/remote.conf line 1)']);
  assert.deepEqual(of('syslog-ng-unused').forwards, []);
});

test('systemd-journal-upload: a URL with the service enabled', () => {
  assert.deepEqual(of('journal-upload').forwards, ['systemd-journal-upload (/etc/systemd/journal-upload.conf line 2)']);
  assert.deepEqual(of('journal-upload-disabled').forwards, []);
  assert.deepEqual(of('none'), { forwards: [], read: [] });
});

test('kordon node --root reports the item, never the server it forwards to', async () => {
  const { runCli } = await import('../support/cli.js');
  const proc = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-syslog-proc-'));
  try {
    const item = async (name: string): Promise<{ status: string; severity: string; message: string; text: string }> => {
      const r = await runCli(['node', '--root', path.join(CORPUS, name), '--proc', proc, '-f', 'json']);
      const e = (JSON.parse(r.out) as { extra: Array<{ id: string; status: string; severity: string; message: string }> }).extra.find((x) => x.id === 'node-logs-forwarded');
      assert.ok(e, `${name}: no node-logs-forwarded item`);
      return { ...e, text: r.out + r.err };
    };
    const pass = await item('syslog-ng-remote');
    assert.equal(pass.status, 'pass');
    assert.match(pass.message, /syslog-ng \(\/etc\/syslog-ng\/conf\.d\/remote\.conf line 1\)/);
    assert.ok(!pass.text.includes('corp.example'), 'the log server is not repeated');
    const fail = await item('rsyslog-local');
    assert.equal(fail.status, 'fail');
    assert.equal(fail.severity, 'low');
    assert.match(fail.message, /read \/etc\/rsyslog\.conf, \/etc\/rsyslog\.d\/20-ufw\.conf/);
    assert.ok(!fail.text.includes('corp.example'));
    assert.match((await item('none')).message, /none of their configuration files is present/);
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
});
