/**
 * Tetragon raw_syscalls numbers mapped to names: the generated tables (scripts/gen-syscall-tables.ts
 * from the Linux UAPI headers) and the reader on test/corpus/harden7/tetragon-raw (one replica
 * on an amd64 node, one on an arm64 node, the architecture from the Nodes' kubernetes.io/arch).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';
import { SYSCALLS_ARM64, SYSCALLS_X86_64 } from '../../src/sources/runtime/behaviour/syscall-tables.js';
import { readBehaviour } from '../../src/sources/runtime/behaviour/read.js';
import { preprocess, tableOf } from '../../scripts/gen-syscall-tables.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CORPUS = path.resolve(HERE, '../corpus/harden7/tetragon-raw');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-syscalls-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('syscall tables', () => {
  it('hold the numbers of the x86_64 and arm64 ABIs', () => {
    // facts of the two ABIs (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h)
    const x86: Array<[number, string]> = [[0, 'read'], [1, 'write'], [2, 'open'], [59, 'execve'], [60, 'exit'], [158, 'arch_prctl'], [231, 'exit_group'], [257, 'openat'], [262, 'newfstatat'], [288, 'accept4'], [435, 'clone3'], [436, 'close_range']];
    for (const [n, s] of x86) assert.equal(SYSCALLS_X86_64[n], s, `x86_64 ${n}`);
    const arm: Array<[number, string]> = [[25, 'fcntl'], [56, 'openat'], [57, 'close'], [63, 'read'], [64, 'write'], [79, 'newfstatat'], [80, 'fstat'], [93, 'exit'], [94, 'exit_group'], [221, 'execve'], [222, 'mmap'], [242, 'accept4'], [435, 'clone3'], [436, 'close_range']];
    for (const [n, s] of arm) assert.equal(SYSCALLS_ARM64[n], s, `arm64 ${n}`);
    // the generic table has none of the legacy calls
    const armNames = new Set(Object.values(SYSCALLS_ARM64));
    for (const legacy of ['open', 'stat', 'fork', 'arch_prctl', 'fcntl64', 'mmap2']) assert.ok(!armNames.has(legacy), legacy);
    // one name per number, one number per name
    for (const t of [SYSCALLS_X86_64, SYSCALLS_ARM64]) assert.equal(new Set(Object.values(t)).size, Object.keys(t).length);
  });

  it('the preprocessor follows #if/#ifdef/#else and macro aliases', () => {
    const h = '#define __NR_a 1\n#ifdef WANT_B\n#define __NR_b 2\n#else\n#define __NR_c 2\n#endif\n#if defined(X) || __BITS_PER_LONG != 32\n#define __NR3264_d 3\n#endif\n#if __BITS_PER_LONG == 64 && !defined(COMPAT)\n#define __NR_d __NR3264_d\n#else\n#define __NR_d64 __NR3264_d\n#endif\n';
    assert.deepEqual(tableOf(preprocess(h, new Map([['__BITS_PER_LONG', '64']]))), { 1: 'a', 2: 'c', 3: 'd' });
    assert.deepEqual(tableOf(preprocess(h, new Map([['__BITS_PER_LONG', '32'], ['WANT_B', '1']]))), { 1: 'a', 2: 'b' });
  });

  // needs Debian's linux-libc-dev (the UAPI headers), as the generator does
  it('are what the generator makes from this machine\'s headers (no drift)', () => {
    const out = path.join(tmp, 'tables.ts');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/gen-syscall-tables.ts'), '/usr/include/x86_64-linux-gnu/asm/unistd_64.h', '/usr/include/asm-generic/unistd.h', out], { cwd: ROOT, env: { ...process.env, LINUX_LIBC_DEV: '' } });
    const strip = (s: string): string => s.split('\n').filter((l) => !l.startsWith('// Source')).join('\n');
    assert.equal(strip(readFileSync(out, 'utf8')), strip(readFileSync(path.join(ROOT, 'src/sources/runtime/behaviour/syscall-tables.ts'), 'utf8')));
  });
});

describe('Tetragon raw_syscalls', () => {
  it('maps numbers with the table of the event\'s node, and says what it could not map', async () => {
    const s = await readBehaviour([path.join(CORPUS, 'tetragon.jsonl')], { nodeArch: new Map([['node-amd', 'x86_64'], ['node-arm', 'arm64']]) });
    const amd = s.subjects.get('pod:shop/api-6f7d8c9b5-bq7xz')!.containers.get('api')!;
    const arm = s.subjects.get('pod:shop/api-6f7d8c9b5-k2m9d')!.containers.get('api')!;
    assert.deepEqual([...amd.syscalls.keys()].sort(), ['accept4', 'epoll_wait', 'exit_group', 'newfstatat', 'openat', 'read', 'write']);
    assert.deepEqual([...arm.syscalls.keys()].sort(), ['accept4', 'epoll_pwait', 'exit_group', 'newfstatat', 'openat', 'read', 'write']);
    const beyond = s.problems.find((p) => /not in the syscall table/.test(p.message));
    assert.equal(beyond?.line, 16);
    assert.match(beyond!.message, /x86_64 999/);
    const unknownNode = s.problems.find((p) => /architecture is not known/.test(p.message));
    assert.equal(unknownNode?.line, 17);
  });

  it('--syscall-arch is the table for nodes the inventory does not name', async () => {
    const s = await readBehaviour([path.join(CORPUS, 'tetragon.jsonl')], { syscallArch: 'x86_64', nodeArch: new Map([['node-arm', 'arm64']]) });
    assert.ok(!s.problems.some((p) => /architecture is not known/.test(p.message)));
  });

  it('kordon harden: the Nodes decide the table; the profile is the union of both replicas', async () => {
    const r = await runCli(['harden', path.join(CORPUS, 'manifests.yaml'), '--runtime', path.join(CORPUS, 'tetragon.jsonl'), '-f', 'json', '-q', '--no-config']);
    assert.equal(r.code, 0, r.err); // warnings only
    const j = JSON.parse(r.out) as { workloads: Array<{ containers: Array<{ syscalls: { notInEveryReplica: string[] }; seccompProfile: { syscalls: Array<{ names: string[] }> } }> }> };
    const c = j.workloads[0]!.containers[0]!;
    const allowed = new Set(c.seccompProfile.syscalls.flatMap((x) => x.names));
    for (const n of ['accept4', 'epoll_wait', 'epoll_pwait', 'newfstatat', 'openat']) assert.ok(allowed.has(n), n);
    assert.deepEqual(c.syscalls.notInEveryReplica, ['epoll_pwait', 'epoll_wait']);
    const bad = await runCli(['harden', path.join(CORPUS, 'manifests.yaml'), '--runtime', path.join(CORPUS, 'tetragon.jsonl'), '--syscall-arch', 'mips', '-q', '--no-config']);
    assert.equal(bad.code, 2);
  });
});
