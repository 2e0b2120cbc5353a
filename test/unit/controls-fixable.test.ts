import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { allControls } from '../../src/controls/index.js';
import { scanPaths } from '../../src/scan.js';

// `fixable` in the catalog is a promise users filter on: it must match what the control does.
test('a control is marked fixable exactly when its findings carry JSON-patch fixes', async () => {
  const wrong: string[] = [];
  for (const c of allControls) {
    const dir = path.join('test/fixtures/controls', c.id, 'fail');
    if (!existsSync(dir)) continue; // the fixture test reports missing fixtures
    const files = readdirSync(dir).sort().map((f) => path.join(dir, f));
    const r = await scanPaths(files, { controls: [c] });
    const fixes = r.findings.some((f) => f.fix && f.fix.length > 0);
    if (fixes !== (c.fixable === true)) wrong.push(`${c.id} ${c.name}: fixable=${c.fixable === true}, fixes in fixtures=${fixes}`);
  }
  assert.deepEqual(wrong, []);
});
