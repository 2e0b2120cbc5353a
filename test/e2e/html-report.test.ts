/**
 * The HTML report in a real browser (headless Chromium): the scripts run offline, draw the
 * attack-path SVG and the findings table, and the picture is not blank. Also writes the
 * example's picture to docs/images/attack-paths.png (used by the README) when
 * KORDON_UPDATE_SCREENSHOTS=1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { scanPaths } from '../../src/scan.js';
import { formatHtml, renderHtmlReport } from '../../src/report/html.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { buildSecurityGraph } from '../../src/graph/build.js';
import { findAttackPaths } from '../../src/graph/paths.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const WIDTH = 1600;
const HEIGHT = 1000;

let tmp: string;

function chromium(args: string[]): { stdout: string; status: number | null } {
  assert.ok(CHROMIUM, 'chromium is required (apt-get install -y chromium)');
  const profile = mkdtempSync(path.join(tmp, 'profile-'));
  const r = spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return { stdout: r.stdout, status: r.status };
}

function count(html: string, re: RegExp): number {
  return (html.match(re) ?? []).length;
}

async function examplePaths(): Promise<ReturnType<typeof findAttackPaths>> {
  const loaded = await loadManifests([path.join(ROOT, 'examples/shop')]);
  return findAttackPaths(buildSecurityGraph(new Inventory(loaded.objects, loaded.problems)));
}

describe('HTML report in headless Chromium', () => {
  let scanFile: string;
  let pathsFile: string;
  let findings: number;
  let pathCount: number;
  let vertexCount: number;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-html-'));
    const result = await scanPaths([path.join(ROOT, 'examples/shop')], { attackPaths: true });
    findings = result.findings.filter((f) => !f.suppressed).length;
    scanFile = path.join(tmp, 'scan.html');
    writeFileSync(scanFile, formatHtml(result));
    const paths = await examplePaths();
    pathCount = paths.shown;
    vertexCount = new Set(paths.paths.flatMap((p) => p.steps.flatMap((s) => [s.source, s.target]))).size;
    pathsFile = path.join(tmp, 'paths.html');
    writeFileSync(pathsFile, renderHtmlReport({ title: 'kordon attack paths: examples/shop', paths, summary: { 'attack paths': paths.total } }));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is one self-contained file: no external resources', () => {
    const html = readFileSync(scanFile, 'utf8');
    assert.equal(count(html, /<link\b/g), 0);
    assert.equal(count(html, /\bsrc=/g), 0);
    assert.match(html, /Content-Security-Policy/);
    // No secret value of the example leaks into the report.
    assert.ok(!html.includes('pk_live_51HdemoKeyThatMustNeverBePrinted'));
    assert.ok(!html.includes('Pr0d-DB-pa55w0rd!'));
  });

  it('the scripts draw the attack-path graph and the findings table', () => {
    const dom = chromium(['--virtual-time-budget=5000', '--dump-dom', `file://${scanFile}`]).stdout;
    assert.match(dom, /<body[^>]*data-rendered="true"/);
    assert.match(dom, /<svg[^>]*id="attack-graph"/);
    assert.equal(count(dom, /<g class="node[ "]/g), vertexCount);
    assert.ok(count(dom, /<g class="edge"/g) >= vertexCount - 1);
    assert.equal(count(dom, /<li>(?:the internet|node network \(VPC \/ LAN\)) →/g), pathCount);
    const rows = dom.slice(dom.indexOf('<tbody>'), dom.indexOf('</tbody>'));
    assert.equal(count(rows, /<tr>/g), findings);
    assert.match(rows, /on \d+ attack paths? from the internet to/);
  });

  it('#path=N highlights that path (what a click does)', () => {
    const dom = chromium(['--virtual-time-budget=5000', '--dump-dom', `file://${pathsFile}#path=0`]).stdout;
    assert.match(dom, /<svg[^>]*class="has-hl"/);
    const highlighted = count(dom, /<g class="edge hl"/g);
    assert.ok(highlighted >= 2, `highlighted edges: ${highlighted}`);
    assert.ok(count(dom, /<g class="edge"/g) > 0, 'other edges stay unhighlighted');
  });

  it('the picture is not blank, and is saved for the README', () => {
    const png = path.join(tmp, 'paths.png');
    chromium([`--window-size=${WIDTH},${HEIGHT}`, '--hide-scrollbars', '--virtual-time-budget=5000', `--screenshot=${png}`, `file://${pathsFile}`]);
    assert.ok(existsSync(png), 'screenshot written');
    const img = PNG.sync.read(readFileSync(png));
    assert.equal(img.width, WIDTH);
    // The graph area: below the header, the top half of the page.
    let ink = 0;
    let total = 0;
    for (let y = 200; y < 600; y++) {
      for (let x = 20; x < img.width - 20; x++) {
        const i = (y * img.width + x) * 4;
        const r = img.data[i]!;
        const g = img.data[i + 1]!;
        const b = img.data[i + 2]!;
        total++;
        if (Math.abs(r - 255) + Math.abs(g - 255) + Math.abs(b - 255) > 30 && Math.abs(r - 246) + Math.abs(g - 247) + Math.abs(b - 249) > 30) ink++;
      }
    }
    assert.ok(ink / total > 0.02, `graph area has ${((100 * ink) / total).toFixed(2)}% ink`);
    // the README's picture is refreshed on request only, so test runs leave the tree clean
    if (process.env['KORDON_UPDATE_SCREENSHOTS']) {
      mkdirSync(path.join(ROOT, 'docs/images'), { recursive: true });
      writeFileSync(path.join(ROOT, 'docs/images/attack-paths.png'), readFileSync(png));
    }
  });
});
