/**
 * What each control costs on an input: the inventory is read once, then every control runs on
 * its own and is timed (wall ms, one process). Finds the control that turns a large input slow
 * (a check that scans every pod for every node, say).
 *
 *   node --import tsx bench/control-costs.ts FILE [--top N]
 *
 * For example on the owned-pods cluster shape: `node --import tsx bench/graph.ts --scale 0.2
 * --owned --write-list /tmp/owned-02.json`, then this script on that file.
 */
import { loadInventory } from '../src/scan.js';
import { runControls } from '../src/engine/run.js';
import { allControls } from '../src/controls/index.js';

const args = process.argv.slice(2);
const topValue = args.includes('--top') ? args[args.indexOf('--top') + 1] : undefined;
const file = args.find((a) => !a.startsWith('--') && a !== topValue);
if (!file) throw new Error('usage: bench/control-costs.ts FILE [--top N]');
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 15;
const { inventory } = await loadInventory([file], { maxFileSize: 2 ** 31 - 1 });
const times: Array<[string, number]> = [];
for (const c of allControls) {
  const t = performance.now();
  runControls(inventory, [c], {});
  times.push([`${c.id} ${c.name}`, performance.now() - t]);
}
times.sort((a, b) => b[1] - a[1]);
console.log(`${inventory.objects.length} objects, ${allControls.length} controls, ${Math.round(times.reduce((s, [, v]) => s + v, 0))} ms in all; the costliest:`);
console.log(times.slice(0, top).map(([k, v]) => `${String(Math.round(v)).padStart(7)} ms  ${k}`).join('\n'));
