/** Every audit detection (event detections and context detections), in id order. */
import { EVENT_DETECTIONS, type DetectionDef } from './detections.js';
import { CONTEXT_DETECTIONS } from './context-detections.js';

export const ALL_DETECTIONS: readonly DetectionDef[] = [...EVENT_DETECTIONS, ...CONTEXT_DETECTIONS].sort((a, b) => (a.id < b.id ? -1 : 1));

export function detectionById(id: string): DetectionDef | undefined {
  return ALL_DETECTIONS.find((d) => d.id === id);
}

/** The detections table of docs/audit.md (between its generated-table markers). */
export function detectionsTable(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = ALL_DETECTIONS.map((d) => `| ${d.id} | ${d.name} | ${d.severity} | ${d.kind} | ${d.mitre.join(', ')} | ${d.falco.length ? esc(d.falco.join('; ')) : '(kordon only)'} | ${esc(d.description)} |`);
  return ['| id | name | severity | kind | MITRE | Falco rules covered | what it detects |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
