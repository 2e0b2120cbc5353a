/**
 * What the shape check at the inventory's door costs (src/inventory/shapes.ts), in CPU time,
 * against the rest of a scan of the same input, in one process (CPU time, not wall time: the
 * shared hosts of this workplace move wall times by ±20% and more).
 *
 *   node --import tsx bench/generate.ts --sizes 100000
 *   node --import tsx bench/shapes.ts bench/out/list-100000.json [bench/out/multidoc-100000.yaml ...]
 *
 * For each input: read and decode (loadManifests), the shape check of every object (its first
 * pass, what a scan pays, and the median of 5 later passes), building the Inventory (which
 * checks again, now warm) and running every control (scanInventory). The share is the first
 * pass against read + inventory + controls (the report, not counted, would lower it).
 */
import { loadManifests } from '../src/sources/manifests/load.js';
import { checkObjectShape } from '../src/inventory/shapes.js';
import { Inventory } from '../src/inventory/inventory.js';
import { scanInventory } from '../src/scan.js';

function cpuMs<T>(f: () => T): [T, number] {
  const c = process.cpuUsage();
  const r = f();
  const u = process.cpuUsage(c);
  return [r, (u.user + u.system) / 1000];
}

for (const file of process.argv.slice(2)) {
  const c0 = process.cpuUsage();
  const loaded = await loadManifests([file]);
  const u0 = process.cpuUsage(c0);
  const readMs = (u0.user + u0.system) / 1000;
  // the first pass is what a scan pays (a fresh process, code not yet optimised): measured before the Inventory runs it again
  const [, coldMs] = cpuMs(() => { for (const o of loaded.objects) checkObjectShape(o.object as unknown as Record<string, unknown>); });
  const [inv, inventoryMs] = cpuMs(() => new Inventory([...loaded.objects], [...loaded.problems], loaded.locator));
  const passes: number[] = [];
  for (let i = 0; i < 5; i++) passes.push(cpuMs(() => { for (const o of inv.objects) checkObjectShape(o.object as unknown as Record<string, unknown>); })[1]);
  passes.sort((a, b) => a - b);
  const checkMs = passes[2]!;
  const [, scanMs] = cpuMs(() => scanInventory(inv, [file]));
  const total = readMs + inventoryMs + scanMs;
  console.log(JSON.stringify({
    input: file,
    objects: inv.objects.length,
    readCpuMs: Math.round(readMs),
    inventoryCpuMs: Math.round(inventoryMs),
    shapeCheckFirstPassCpuMs: Math.round(coldMs),
    shapeCheckLaterPassCpuMs: Math.round(checkMs),
    controlsCpuMs: Math.round(scanMs),
    firstPassShareOfScan: `${((100 * coldMs) / total).toFixed(2)}%`,
  }));
}
process.exit(0);
