/**
 * `kordon node --root DIR` reads a node's file system mounted at DIR: its symbolic links point
 * at the node's paths. An absolute link target must be taken inside the root, never on the host
 * running kordon (which would judge this host's files as the node's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeFiles, resolveInRoot } from '../../src/sources/node-host/read.js';

test('node root: symbolic links are followed inside the root; .. stops at the root; loops end', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-root-'));
  try {
    mkdirSync(path.join(root, 'etc/kubernetes'), { recursive: true });
    mkdirSync(path.join(root, 'opt/real'), { recursive: true });
    writeFileSync(path.join(root, 'opt/real/kubelet.conf'), 'in the root\n');
    // an absolute target: the node's /opt/real, not this host's
    symlinkSync('/opt/real/kubelet.conf', path.join(root, 'etc/kubernetes/kubelet.conf'));
    // a directory link, relative
    symlinkSync('../opt/real', path.join(root, 'etc/real'));
    // pointing at a host file that the node does not have
    symlinkSync('/etc/hostname', path.join(root, 'etc/kubernetes/admin.conf'));
    symlinkSync('../../../../../../etc/hostname', path.join(root, 'etc/kubernetes/escape.conf'));
    symlinkSync('loop-b', path.join(root, 'etc/loop-a'));
    symlinkSync('loop-a', path.join(root, 'etc/loop-b'));

    const files = nodeFiles(root);
    assert.equal(files.read('/etc/kubernetes/kubelet.conf'), 'in the root\n');
    assert.equal(files.read('/etc/real/kubelet.conf'), 'in the root\n');
    assert.equal(files.read('/etc/kubernetes/admin.conf'), undefined, 'the host\'s /etc/hostname is not the node\'s');
    assert.equal(files.read('/etc/kubernetes/escape.conf'), undefined, '.. stops at the root');
    assert.equal(resolveInRoot(root, '/etc/kubernetes/escape.conf'), path.join(root, 'etc/hostname'));
    assert.equal(files.read('/etc/loop-a'), undefined, 'a loop is an unreadable file, not a hang');
    assert.equal(files.stat('/etc/kubernetes/kubelet.conf')?.isDirectory, false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('node: the volume under etcd\'s data directory, and whether it shows dm-crypt/LUKS encryption', async () => {
  const { readNode } = await import('../../src/sources/node-host/read.js');
  const root = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-etcd-'));
  try {
    const proc = path.join(root, 'proc');
    mkdirSync(path.join(proc, '1'), { recursive: true });
    mkdirSync(path.join(proc, '4242'), { recursive: true });
    writeFileSync(path.join(proc, '4242', 'cmdline'), ['etcd', '--data-dir=/var/lib/etcd', '--client-cert-auth=true'].join('\0') + '\0');
    mkdirSync(path.join(root, 'var/lib/etcd'), { recursive: true });
    const mounts = (dev: string) => `/dev/sda1 / ext4 rw,relatime 0 0\n${dev} /var/lib/etcd xfs rw,relatime 0 0\nproc /proc proc rw 0 0\n`;
    // a LUKS volume opened as /dev/mapper/etcd-data (dm-3)
    mkdirSync(path.join(root, 'sys/block/dm-3/dm'), { recursive: true });
    writeFileSync(path.join(root, 'sys/block/dm-3/dm/name'), 'etcd-data\n');
    writeFileSync(path.join(root, 'sys/block/dm-3/dm/uuid'), 'CRYPT-LUKS2-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e-etcd-data\n');
    writeFileSync(path.join(proc, '1', 'mounts'), mounts('/dev/mapper/etcd-data'));
    assert.deepEqual(readNode(root).etcdData, { dataDir: '/var/lib/etcd', mountPoint: '/var/lib/etcd', device: '/dev/mapper/etcd-data', fsType: 'xfs', encryption: 'dm-crypt' });
    // an LVM volume (device-mapper, not crypt): no sign of encryption
    mkdirSync(path.join(root, 'sys/block/dm-1/dm'), { recursive: true });
    writeFileSync(path.join(root, 'sys/block/dm-1/dm/uuid'), 'LVM-abcdef\n');
    writeFileSync(path.join(proc, '1', 'mounts'), mounts('/dev/dm-1'));
    assert.equal(readNode(root).etcdData?.encryption, undefined);
    assert.equal(readNode(root).etcdData?.device, '/dev/dm-1');
    // the data directory on the root file system
    writeFileSync(path.join(proc, '1', 'mounts'), '/dev/sda1 / ext4 rw 0 0\n');
    assert.deepEqual(readNode(root).etcdData, { dataDir: '/var/lib/etcd', mountPoint: '/', device: '/dev/sda1', fsType: 'ext4' });
    // the CLI says it, and says when it cannot tell
    const { runCli } = await import('../support/cli.js');
    const r = await runCli(['node', '--root', root, '-f', 'json']);
    const extra = (JSON.parse(r.out) as { extra: Array<{ id: string; status: string; message: string }> }).extra.find((e) => e.id === 'etcd-data-encryption');
    assert.equal(extra?.status, 'fail', r.out.slice(0, 400));
    rmSync(path.join(proc, '1'), { recursive: true });
    const unknown = JSON.parse((await runCli(['node', '--root', root, '-f', 'json'])).out) as { extra: Array<{ id: string; status: string }> };
    assert.equal(unknown.extra.find((e) => e.id === 'etcd-data-encryption')?.status, 'unknown');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
