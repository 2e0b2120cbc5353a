/**
 * The Risk x Effort scorecard as a picture (SVG): one bubble per action of an assessment, risk
 * upwards, effort to the right, sized by the objects the action changes, coloured by its
 * dimension. Static SVG (no script): it renders the same in a browser, an image viewer and the
 * HTML report. Deterministic: the same assessment gives the same bytes.
 *
 * The effort axis has three bands (low, medium, high: the effort that places an action in its
 * quadrant, docs/plan.md); inside a band an action sits by its person-days (log scale), so the
 * quadrant lines are exact: risk 40 (high risk above) and the low | medium border.
 */
import { DIMENSIONS, type Dimension, type Effort } from '../engine/types.js';
import type { Assessment, AssessmentAction } from '../assess/assess.js';

/** One colour per dimension (Okabe-Ito, plus two), distinguishable for colour-blind readers. */
export const DIMENSION_COLORS: Record<Dimension, string> = {
  Architecture: '#0072b2',
  Applications: '#e69f00',
  Scalability: '#009e73',
  'Storage & Backup': '#56b4e9',
  'CI/CD': '#cc79a7',
  'Disaster Recovery': '#8b4513',
  'Monitoring & Health Checks': '#f0e442',
  Security: '#d55e00',
};

export const SCORECARD = { width: 860, height: 520, left: 64, right: 260, top: 36, bottom: 60 } as const;
const PLOT_W = SCORECARD.width - SCORECARD.left - SCORECARD.right;
const PLOT_H = SCORECARD.height - SCORECARD.top - SCORECARD.bottom;
const EFFORTS: readonly Effort[] = ['low', 'medium', 'high'];

export interface Bubble {
  id: string;
  order: number;
  cx: number;
  cy: number;
  r: number;
  color: string;
  dimension: Dimension;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Bubble radius for an action touching `objects` objects. */
export function bubbleRadius(objects: number): number {
  return Math.min(26, 5 + 3.2 * Math.sqrt(Math.max(1, objects)));
}

/** Where each bubble goes (exported for the tests: the browser must draw them there). */
export function scorecardLayout(a: Assessment): Bubble[] {
  const range = new Map<Effort, { min: number; max: number }>();
  for (const x of a.actions) {
    const r = range.get(x.effort) ?? { min: Infinity, max: -Infinity };
    r.min = Math.min(r.min, x.personDays);
    r.max = Math.max(r.max, x.personDays);
    range.set(x.effort, r);
  }
  const band = PLOT_W / 3;
  const placed: Bubble[] = [];
  for (const x of a.actions as AssessmentAction[]) {
    const r = range.get(x.effort)!;
    const t = r.max > r.min ? (Math.log(x.personDays) - Math.log(r.min)) / (Math.log(r.max) - Math.log(r.min)) : 0.5;
    const lo = SCORECARD.left + band * EFFORTS.indexOf(x.effort);
    const want = lo + band * (0.15 + 0.7 * t);
    const cy = round(SCORECARD.top + PLOT_H * (1 - Math.max(0, Math.min(100, x.risk)) / 100));
    const radius = round(bubbleRadius(x.objects.length));
    // bubbles at the same risk and effort are moved sideways (within their band, the risk kept) until they overlap little
    const clear = (cx: number) => placed.every((b) => Math.hypot(b.cx - cx, b.cy - cy) >= 0.75 * (b.r + radius));
    let cx = round(want);
    for (let k = 1; !clear(cx) && k <= 72; k++) {
      const step = Math.ceil(k / 2) * 4 * (k % 2 === 1 ? 1 : -1);
      const c = round(want + step);
      if (c - radius < lo + 2 || c + radius > lo + band - 2) continue;
      if (clear(c)) cx = c;
    }
    placed.push({ id: x.id, order: x.order, cx, cy, r: radius, color: DIMENSION_COLORS[x.dimension], dimension: x.dimension });
  }
  return placed;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The scorecard; `standalone` adds the XML declaration and namespace for an .svg file. */
export function scorecardSvg(a: Assessment, opts: { standalone?: boolean } = {}): string {
  const { width, height, left, top } = SCORECARD;
  const right = left + PLOT_W;
  const bottom = top + PLOT_H;
  const yOf = (risk: number) => round(top + PLOT_H * (1 - risk / 100));
  const out: string[] = [];
  if (opts.standalone) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="scorecard" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="scorecard-title">`,
    `<title id="scorecard-title">Risk x Effort scorecard: ${a.actions.length} action(s)</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    // the high-risk half, shaded
    `<rect class="quadrant" x="${left}" y="${top}" width="${PLOT_W}" height="${round(yOf(40) - top)}" fill="#fdf0ec"/>`,
    `<rect class="quadrant" x="${left}" y="${yOf(40)}" width="${PLOT_W}" height="${round(bottom - yOf(40))}" fill="#f4f6f8"/>`,
  );
  // grid: risk every 20, effort bands
  for (let r = 0; r <= 100; r += 20) out.push(`<line x1="${left}" y1="${yOf(r)}" x2="${right}" y2="${yOf(r)}" stroke="#dde1e6" stroke-width="1"/>`, `<text x="${left - 8}" y="${yOf(r) + 4}" text-anchor="end" fill="#444">${r}</text>`);
  for (let i = 1; i < 3; i++) {
    const x = round(left + (PLOT_W / 3) * i);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${i === 1 ? '#8a939c' : '#dde1e6'}" stroke-width="${i === 1 ? 1.5 : 1}"${i === 1 ? ' stroke-dasharray="5 4"' : ''}/>`);
  }
  out.push(`<line x1="${left}" y1="${yOf(40)}" x2="${right}" y2="${yOf(40)}" stroke="#8a939c" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  EFFORTS.forEach((e, i) => out.push(`<text x="${round(left + (PLOT_W / 3) * (i + 0.5))}" y="${bottom + 18}" text-anchor="middle" fill="#444">${e}</text>`));
  out.push(
    `<text x="${round(left + PLOT_W / 2)}" y="${bottom + 40}" text-anchor="middle" fill="#222" font-weight="600">Effort (band: low, medium, high; within a band: person-days)</text>`,
    `<text transform="translate(18 ${round(top + PLOT_H / 2)}) rotate(-90)" text-anchor="middle" fill="#222" font-weight="600">Risk (0–100)</text>`,
    `<text x="${left + 6}" y="${top + 16}" fill="#9a3412" font-weight="600">Quick wins</text>`,
    `<text x="${right - 6}" y="${top + 16}" text-anchor="end" fill="#9a3412" font-weight="600">Major projects</text>`,
    `<text x="${left + 6}" y="${bottom - 8}" fill="#555" font-weight="600">Fill-ins</text>`,
    `<text x="${right - 6}" y="${bottom - 8}" text-anchor="end" fill="#555" font-weight="600">Later</text>`,
  );
  // bubbles: the largest first so that small ones stay visible on top
  const bubbles = scorecardLayout(a);
  const byId = new Map(a.actions.map((x) => [x.id, x]));
  const drawn = [...bubbles].sort((x, y) => y.r - x.r || x.order - y.order);
  for (const b of drawn) {
    const x = byId.get(b.id)!;
    const tip = `${x.order}. ${x.title} (${x.id}): ${x.dimension}; risk ${x.risk} (${x.riskLevel}); effort ${x.effort}, ${x.personDays} person-day(s); ${x.objects.length} object(s)${x.quarter ? `; Q${x.quarter}` : '; backlog'}`;
    out.push(
      `<g class="bubble" data-id="${esc(x.id)}" data-dimension="${esc(x.dimension)}"><title>${esc(tip)}</title>` +
        `<circle cx="${b.cx}" cy="${b.cy}" r="${b.r}" fill="${b.color}" stroke="#1f2328" stroke-width="1"/>` +
        `<text x="${b.cx}" y="${round(b.cy + 4)}" text-anchor="middle" font-size="11" fill="#111" pointer-events="none">${x.order}</text></g>`,
    );
  }
  // legend: every dimension, with its action count
  const lx = right + 24;
  out.push(`<text x="${lx}" y="${top + 4}" fill="#222" font-weight="600">Dimension (actions)</text>`);
  DIMENSIONS.forEach((d, i) => {
    const y = top + 26 + i * 22;
    const n = a.actions.filter((x) => x.dimension === d).length;
    out.push(`<g class="legend"><rect x="${lx}" y="${y - 10}" width="14" height="14" rx="7" fill="${DIMENSION_COLORS[d]}" stroke="#1f2328" stroke-width="1"/><text x="${lx + 22}" y="${y + 1}" fill="#222">${esc(d)} (${n})</text></g>`);
  });
  out.push(`<text x="${lx}" y="${top + 26 + 8 * 22 + 10}" fill="#555">bubble size: objects changed</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
