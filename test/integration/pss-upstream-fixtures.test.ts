/**
 * kordon's Pod Security evaluator against upstream's own per-version fixtures: the module
 * k8s.io/pod-security-admission (from the Go module proxy, cached in the Go module cache) ships
 * `test/testdata/<level>/v1.N/{pass,fail}/*.yaml`, the pods its conformance test
 * (test/run.go) sends at each policy version: every `pass` pod must be allowed at that level and
 * version, every `fail` pod denied. Checked for every version v1.0 .. v1.37 from the v0.37 module,
 * and v1.0 .. v1.35 from the v0.36 module (its test/run.go still says newestMinorVersionToTest =
 * 35: v0.36 has no v1.36 fixtures; v1.36 changed no check, and v0.37's v1.36 fixtures cover it),
 * so a policy change in either release shows up as a fixture kordon gets wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { evaluatePodSecurity, NEWEST_PSS_MINOR, type PssLevel } from '../../src/frameworks/pss/index.js';

function moduleDir(version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/pod-security-admission@${version}`], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 300_000, env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=mod' } });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

interface Outcome {
  checked: number;
  wrong: string[];
}

/** Evaluates every fixture of one level and version; returns the ones kordon judges differently. */
function checkVersion(dir: string, level: PssLevel, minor: number): Outcome {
  const base = path.join(dir, 'test', 'testdata', level, `v1.${minor}`);
  const out: Outcome = { checked: 0, wrong: [] };
  for (const expect of ['pass', 'fail'] as const) {
    for (const file of readdirSync(path.join(base, expect)).filter((f) => f.endsWith('.yaml')).sort()) {
      const pod = parse(readFileSync(path.join(base, expect, file), 'utf8')) as { metadata?: { annotations?: Record<string, string> }; spec: unknown };
      const r = evaluatePodSecurity(pod.metadata ?? {}, pod.spec, level, `v1.${minor}`);
      out.checked++;
      if (r.allowed !== (expect === 'pass')) out.wrong.push(`${level}/v1.${minor}/${expect}/${file}: kordon ${r.allowed ? 'allows' : `denies (${r.violations.map((v) => v.check).join(', ')})`}`);
    }
  }
  return out;
}

for (const [module, newest] of [
  ['v0.37.2', 37],
  ['v0.36.3', 35],
] as const) {
  test(`every pass/fail fixture of k8s.io/pod-security-admission ${module} (v1.0 .. v1.${newest} fixtures, baseline and restricted) gets upstream's verdict`, { timeout: 600_000 }, () => {
    const dir = moduleDir(module);
    assert.ok(newest <= NEWEST_PSS_MINOR, `kordon tracks policy up to v1.${NEWEST_PSS_MINOR}`);
    // the module's fixtures stop at its own minor: nothing newer to compare with
    assert.deepEqual(
      readdirSync(path.join(dir, 'test', 'testdata', 'baseline')).map((v) => Number(v.replace(/^v1\./, ''))).sort((a, b) => b - a)[0],
      newest,
    );
    let checked = 0;
    const wrong: string[] = [];
    for (const level of ['baseline', 'restricted'] as const) {
      for (let minor = 0; minor <= newest; minor++) {
        const o = checkVersion(dir, level, minor);
        checked += o.checked;
        wrong.push(...o.wrong);
      }
    }
    assert.deepEqual(wrong, []);
    // both levels at every version: 4,537 pods in v0.37.2, 4,241 in v0.36.3
    assert.ok(checked > 4000, `${checked} fixtures`);
  });
}

test('the v1.37 fixtures that name the new baseline sysctls pass at v1.37 and fail at v1.36 (upstream fixtures, kordon verdicts)', { timeout: 300_000 }, () => {
  const dir = moduleDir('v0.37.2');
  const pod = {
    securityContext: {
      sysctls: [
        { name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' },
        { name: 'net.ipv4.tcp_notsent_lowat', value: '16384' },
      ],
    },
    containers: [{ name: 'c', image: 'registry.k8s.io/pause' }],
  };
  // upstream's own v1.37 sysctls fixtures read as kordon reads them
  const names = readdirSync(path.join(dir, 'test', 'testdata', 'baseline', 'v1.37', 'pass')).filter((f) => f.startsWith('sysctls'));
  const sysctls = names.flatMap((f) => ((parse(readFileSync(path.join(dir, 'test', 'testdata', 'baseline', 'v1.37', 'pass', f), 'utf8')) as { spec: { securityContext?: { sysctls?: Array<{ name: string }> } } }).spec.securityContext?.sysctls ?? []).map((s) => s.name));
  assert.ok(sysctls.includes('net.ipv4.tcp_slow_start_after_idle') && sysctls.includes('net.ipv4.tcp_notsent_lowat'), sysctls.join(', '));
  assert.equal(evaluatePodSecurity({}, pod, 'baseline', 'v1.37').allowed, true);
  assert.equal(evaluatePodSecurity({}, pod, 'baseline', 'latest').allowed, true);
  const at36 = evaluatePodSecurity({}, pod, 'baseline', 'v1.36');
  assert.equal(at36.allowed, false);
  assert.deepEqual(at36.violations.map((v) => v.check), ['sysctls']);
});
