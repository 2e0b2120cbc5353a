/**
 * Benchmark: what the Health Assessment costs on top of the scan and the plan it is made from.
 *
 *   node --import tsx bench/assess.ts [--objects 5000] [--runs 3]
 *
 * Generates the synthetic repository of bench/generate.ts (applications in team namespaces,
 * deterministic), loads it once, and times (median of --runs, in one process, the inventory
 * built before the clock starts): the scan with attack paths, buildPlan, and buildAssessment
 * (dimension scores, dependencies, the what-if of every action on attack paths and of each
 * quarter). Prints a Markdown table for BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSet } from './generate.js';
import { loadInventory, scanInventory } from '../src/scan.js';
import { buildPlan } from '../src/plan/plan.js';
import { buildAssessment } from '../src/assess/assess.js';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const objects = opt('--objects', 5000);
const runs = opt('--runs', 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-assess-'));
try {
  const { multidoc } = writeSet(tmp, objects);
  const { inventory, sources } = await loadInventory([multidoc]);
  const scanMs: number[] = [];
  const planMs: number[] = [];
  const assessMs: number[] = [];
  let summary = '';
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const result = scanInventory(inventory, sources, { attackPaths: true });
    scanMs.push(performance.now() - t);
    t = performance.now();
    buildPlan(result);
    planMs.push(performance.now() - t);
    t = performance.now();
    const a = buildAssessment(result, inventory);
    assessMs.push(performance.now() - t);
    const simulated = a.actions.filter((x) => x.pathsMethod === 'what-if').length;
    summary = `${a.summary.actions} actions (${simulated} simulated by what-if), ${a.summary.attackPaths} attack paths, ${a.summary.pathsClosed} closed by the roadmap`;
  }
  const s = (ms: number[]) => `${(median(ms) / 1000).toFixed(2)} s`;
  console.log(`objects: ${objects}; ${summary}; median of ${runs} run(s); ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}`);
  console.log('| step | time |\n| --- | ---: |');
  console.log(`| scan with attack paths | ${s(scanMs)} |\n| buildPlan | ${s(planMs)} |\n| buildAssessment | ${s(assessMs)} |`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
