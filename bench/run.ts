/**
 * Manifest-scan benchmarks: end-to-end `kordon scan` (wall time, CPU time, peak RSS) and
 * parse-only throughput of the manifest source, on the synthetic sets of bench/generate.ts.
 *
 * Usage: npm run bench -- [--sizes 1000,10000,100000] [--no-build] [--out bench/out]
 * Prints a Markdown table (the figures of BENCHMARKS.md) and writes bench/out/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { writeSet } from './generate.js';
import { parseManifestText } from '../src/sources/manifests/parse.js';

interface Row {
  set: string;
  objects: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  objectsPerSecond: number;
  peakRssMiB: number;
}

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i !== -1 && args[i + 1] ? args[i + 1]! : dflt;
};
const outDir = arg('--out', 'bench/out');
const sizes = arg('--sizes', '1000,10000,100000').split(',').map(Number);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function sizeOf(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(p)) n += sizeOf(path.join(p, e));
  return n;
}

/** Runs `kordon scan` once; wall time from here, CPU and peak RSS from /usr/bin/time (or the child itself). */
function scanOnce(input: string): { seconds: number; cpuSeconds: number; peakRssMiB: number } {
  const kordon = path.join(root, 'bin/kordon');
  const scanArgs = ['scan', input, '-f', 'json', '-o', '/dev/null'];
  const started = process.hrtime.bigint();
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', 'KORDON_TIME %U %S %M', process.execPath, kordon, ...scanArgs], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const m = /KORDON_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
    if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`kordon scan ${input} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
    if (!m) throw new Error(`no timing from /usr/bin/time: ${r.stderr.slice(0, 300)}`);
    return { seconds, cpuSeconds: Number(m[1]) + Number(m[2]), peakRssMiB: Number(m[3]) / 1024 };
  }
  // no /usr/bin/time: the child reports its own resource usage when it exits
  const probe = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('KORDON_TIME ' + (u.userCPUTime / 1e6) + ' ' + (u.systemCPUTime / 1e6) + ' ' + u.maxRSS + '\\n'); });`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, kordon, ...scanArgs], { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = /KORDON_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`kordon scan ${input} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { seconds, cpuSeconds: Number(m[1]) + Number(m[2]), peakRssMiB: Number(m[3]) / 1024 };
}

/** Parse-only: the manifest source decoding the text (already in memory), CPU time. */
function parseOnly(file: string): { seconds: number; objects: number } {
  const text = readFileSync(file, 'utf8');
  const before = process.cpuUsage();
  const r = parseManifestText(file, text, { json: file.endsWith('.json') });
  const used = process.cpuUsage(before);
  return { seconds: (used.user + used.system) / 1e6, objects: r.objects.length };
}

function machine(): Record<string, string> {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' }).stdout.trim();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return { cpu, nproc, memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, node: process.version, loadAverage: load };
}

function main(): void {
  if (!args.includes('--no-build')) {
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) process.stderr.write('warning: the build reported errors; benchmarking dist/ as it is\n');
  }
  const rows: Row[] = [];
  const parseRows: Row[] = [];
  for (const n of sizes) {
    const files = { yamlDir: path.join(outDir, `yaml-${n}`), multidoc: path.join(outDir, `multidoc-${n}.yaml`), list: path.join(outDir, `list-${n}.json`) };
    if (!existsSync(files.yamlDir) || !existsSync(files.multidoc) || !existsSync(files.list)) writeSet(outDir, n);
    for (const [label, input] of [
      [`YAML files (${n} objects, one file per app)`, files.yamlDir],
      [`YAML stream (${n} objects, one file)`, files.multidoc],
      [`kubectl List JSON (${n} objects)`, files.list],
    ] as const) {
      const m = scanOnce(input);
      rows.push({ set: label, objects: n, bytes: sizeOf(input), seconds: m.seconds, cpuSeconds: m.cpuSeconds, objectsPerSecond: n / m.seconds, peakRssMiB: m.peakRssMiB });
      process.stderr.write(`scan  ${label}: ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ${m.peakRssMiB.toFixed(0)} MiB\n`);
    }
    for (const [label, file] of [
      [`YAML stream (${n} objects)`, files.multidoc],
      [`kubectl List JSON (${n} objects)`, files.list],
    ] as const) {
      const p = parseOnly(file);
      parseRows.push({ set: label, objects: p.objects, bytes: sizeOf(file), seconds: p.seconds, cpuSeconds: p.seconds, objectsPerSecond: p.objects / p.seconds, peakRssMiB: NaN });
      process.stderr.write(`parse ${label}: ${p.seconds.toFixed(2)} s CPU\n`);
    }
  }
  const m = machine();
  const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
  const lines = [
    `Machine: ${m.cpu}, ${m.nproc} cores, ${m.memory}, Node ${m.node}, load average at the end ${m.loadAverage}`,
    '',
    '| input | objects | MiB | wall s | CPU s | objects/s (wall) | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.set} | ${r.objects} | ${mib(r.bytes)} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${Math.round(r.objectsPerSecond)} | ${r.peakRssMiB.toFixed(0)} |`),
    '',
    'Parse only (manifest source, text already in memory):',
    '',
    '| input | objects | MiB | CPU s | objects/s | MiB/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...parseRows.map((r) => `| ${r.set} | ${r.objects} | ${mib(r.bytes)} | ${r.cpuSeconds.toFixed(2)} | ${Math.round(r.objectsPerSecond)} | ${(r.bytes / 2 ** 20 / r.cpuSeconds).toFixed(1)} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine: m, scan: rows, parse: parseRows }, null, 2) + '\n');
}

main();
