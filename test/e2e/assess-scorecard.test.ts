/**
 * The assessment's scorecard in a real browser (headless Chromium): the standalone SVG and the
 * HTML report render, and every bubble is drawn where the layout puts it, in its dimension's
 * colour (pixels of a screenshot; the element the browser finds at each bubble's point). The
 * inputs mix the bundled example (Security) with the per-dimension fixtures and their controls,
 * so that several dimensions' colours are on the picture. Also writes docs/images/scorecard.png
 * when KORDON_UPDATE_SCREENSHOTS=1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { loadInventory, scanInventory } from '../../src/scan.js';
import { buildAssessment, type Assessment } from '../../src/assess/assess.js';
import { allControls } from '../../src/controls/index.js';
import { formatAssessmentHtml } from '../../src/report/assess-html.js';
import { SCORECARD, scorecardLayout, scorecardSvg, type Bubble } from '../../src/report/scorecard.js';
import { TEST_CONTROLS } from '../unit/assess-controls.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
let tmp: string;

function chromium(args: string[]): string {
  assert.ok(CHROMIUM, 'chromium is required (apt-get install -y chromium)');
  const profile = mkdtempSync(path.join(tmp, 'profile-'));
  const r = spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--force-device-scale-factor=1', `--user-data-dir=${profile}`, ...args],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return r.stdout;
}

/** The bubbles in the order they are drawn (largest first; later ones on top), as the SVG does. */
function drawOrder(bubbles: Bubble[]): Bubble[] {
  return [...bubbles].sort((x, y) => y.r - x.r || x.order - y.order);
}

/** Points inside each bubble (off its number) and the bubble the eye sees there: the topmost one drawn over the point. */
function probes(bubbles: Bubble[]): Array<{ x: number; y: number; expect: Bubble; own: Bubble }> {
  const drawn = drawOrder(bubbles);
  const onText = (x: number, y: number) => drawn.some((b) => Math.abs(x - b.cx) < 8 && Math.abs(y - b.cy) < 5.5);
  const out: Array<{ x: number; y: number; expect: Bubble; own: Bubble }> = [];
  for (const b of bubbles) {
    for (let k = 0; k < 8; k++) {
      const [dx, dy] = [0.72 * Math.sin((k * Math.PI) / 4), -0.72 * Math.cos((k * Math.PI) / 4)];
      const x = Math.round(b.cx + dx * b.r);
      const y = Math.round(b.cy + dy * b.r);
      if (onText(x, y)) continue;
      // topmost bubble whose disc holds the point with a margin (no anti-aliased edge)
      const top = [...drawn].reverse().find((o) => Math.hypot(o.cx - x, o.cy - y) <= o.r - 1.5);
      const edge = drawn.some((o) => Math.abs(Math.hypot(o.cx - x, o.cy - y) - o.r) < 1.5);
      if (top && !edge) out.push({ x, y, expect: top, own: b });
    }
  }
  return out;
}

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

describe('the Risk x Effort scorecard in headless Chromium', () => {
  let assessment: Assessment;
  let bubbles: Bubble[];

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-assess-browser-'));
    if (process.env['KORDON_KEEP_TMP']) console.log(tmp);
    const { inventory, sources } = await loadInventory([path.join(ROOT, 'examples/shop'), path.join(ROOT, 'test/fixtures/assess/dimensions')]);
    const result = scanInventory(inventory, sources, { controls: [...allControls, ...TEST_CONTROLS], attackPaths: true });
    assessment = buildAssessment(result, inventory);
    bubbles = scorecardLayout(assessment);
    assert.ok(new Set(bubbles.map((b) => b.dimension)).size >= 6, 'several dimensions on the picture');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the standalone SVG: every bubble at its place, in its dimension colour', () => {
    const svg = path.join(tmp, 'scorecard.svg');
    writeFileSync(svg, scorecardSvg(assessment, { standalone: true }));
    const png = path.join(tmp, 'scorecard.png');
    chromium([`--window-size=${SCORECARD.width},${SCORECARD.height}`, '--hide-scrollbars', `--screenshot=${png}`, `file://${svg}`]);
    assert.ok(existsSync(png), 'screenshot written');
    const img = PNG.sync.read(readFileSync(png));
    const ps = probes(bubbles);
    const seen = new Set(ps.map((p) => p.expect.id));
    // almost every bubble shows somewhere (a few may sit under a larger one at the same risk and effort)
    assert.ok(seen.size >= bubbles.length * 0.9, `${seen.size} of ${bubbles.length} bubbles visible`);
    for (const p of ps) {
      const i = (p.y * img.width + p.x) * 4;
      const got = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
      const want = rgb(p.expect.color);
      const off = Math.abs(got[0]! - want[0]) + Math.abs(got[1]! - want[1]) + Math.abs(got[2]! - want[2]);
      assert.ok(off <= 12, `pixel (${p.x},${p.y}) of ${p.own.id}: rgb(${got.join(',')}), expected ${p.expect.color} of ${p.expect.id} (${p.expect.dimension})`);
    }
    // and the background between bubbles is not bubble-coloured: an empty corner of the plot
    const corner = ((SCORECARD.top + 5) * img.width + (SCORECARD.width - SCORECARD.right - 5)) * 4;
    assert.deepEqual([img.data[corner], img.data[corner + 1], img.data[corner + 2]], [0xfd, 0xf0, 0xec]);
    if (process.env['KORDON_UPDATE_SCREENSHOTS']) {
      mkdirSync(path.join(ROOT, 'docs/images'), { recursive: true });
      writeFileSync(path.join(ROOT, 'docs/images/scorecard.png'), readFileSync(png));
    }
  });

  it('the HTML report: the scorecard renders with its table and roadmap, and the browser finds each bubble at its point', () => {
    const html = formatAssessmentHtml(assessment);
    assert.equal((html.match(/<link\b|\bsrc=/g) ?? []).length, 0, 'self-contained');
    writeFileSync(path.join(tmp, 'report.html'), html);
    const dom = chromium(['--virtual-time-budget=3000', '--dump-dom', `file://${path.join(tmp, 'report.html')}`]);
    assert.match(dom, /<svg[^>]*id="scorecard"/);
    assert.equal((dom.match(/<g class="bubble"/g) ?? []).length, assessment.actions.length);
    assert.equal((dom.match(/<tr class="dimension">/g) ?? []).length, 8);
    assert.equal((dom.match(/<div class="quarter" data-quarter="\d">/g) ?? []).length, 4);
    const rows = dom.slice(dom.indexOf('<table id="scorecard-table">'), dom.indexOf('</table>', dom.indexOf('<table id="scorecard-table">')));
    assert.equal((rows.match(/<tr>/g) ?? []).length, assessment.actions.length + 1);
    // measure in the browser: the report has no script (its CSP forbids one), so the test adds one to a copy
    const ps = probes(bubbles);
    const measure = `<script>
      const svg = document.getElementById('scorecard');
      svg.scrollIntoView();
      const box = svg.getBoundingClientRect();
      const k = box.width / ${SCORECARD.width};
      const probes = ${JSON.stringify(ps.map((p) => [p.x, p.y]))};
      document.body.setAttribute('data-hits', JSON.stringify(probes.map(([x, y]) => {
        const el = document.elementFromPoint(box.left + x * k, box.top + y * k);
        const g = el && el.closest('g.bubble');
        return g ? g.getAttribute('data-id') : null;
      })));
    </script>`;
    const probe = path.join(tmp, 'probe.html');
    writeFileSync(probe, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${measure}</body>`));
    const measured = chromium(['--window-size=1600,1000', '--virtual-time-budget=3000', '--dump-dom', `file://${probe}`]);
    const m = /data-hits="([^"]*)"/.exec(measured);
    assert.ok(m, 'the probe ran');
    const hits = JSON.parse(m[1]!.replace(/&quot;/g, '"')) as Array<string | null>;
    assert.equal(hits.length, ps.length);
    ps.forEach((p, i) => assert.equal(hits[i], p.expect.id, `at (${p.x},${p.y}) inside ${p.own.id}`));
  });
});
