/**
 * `--runtime FILE|DIR`: runtime evidence from Kubescape profiles, Tetragon and Falco event
 * streams, and kordon RuntimeEvidence documents. The format of each file is found from its
 * content: JSON Lines (or a JSON array) of events, else YAML/JSON objects by kind. Unreadable
 * files, broken lines and unknown objects give problems with the file and line; the rest is read.
 */
import type { InputProblem } from '../../inventory/types.js';
import { parseManifestText } from '../manifests/parse.js';
import { expandInputs, readReportText } from '../vulns/json-input.js';
import { eventTool, readEvents } from './events.js';
import type { ContainerEvidence } from './model.js';
import { KORDON_EVIDENCE_KIND, KUBESCAPE_KINDS, readKordonEvidence, readKubescape } from './profiles.js';

export interface RuntimeInput {
  evidence: ContainerEvidence[];
  problems: InputProblem[];
}

export async function readRuntimeInputs(paths: readonly string[], opts: { maxFileSize?: number } = {}): Promise<RuntimeInput> {
  const problems: InputProblem[] = [];
  const files = await expandInputs(paths, ['.json', '.jsonl', '.ndjson', '.log', '.yaml', '.yml'], problems);
  const evidence: ContainerEvidence[] = [];
  for (const f of files) {
    const t = await readReportText(f, opts.maxFileSize);
    if ('problem' in t) {
      problems.push(t.problem);
      continue;
    }
    evidence.push(...readRuntimeText(f, t.text, problems));
  }
  return { evidence, problems };
}

/** One file's text into evidence records. */
export function readRuntimeText(source: string, text: string, problems: InputProblem[]): ContainerEvidence[] {
  const events = eventLines(source, text, problems);
  if (events) return readEvents(source, events, problems);
  const parsed = parseManifestText(source, text);
  const out: ContainerEvidence[] = [];
  let other = 0;
  let firstOther = 0;
  for (const p of parsed.problems) if (p.code !== 'missing-name') problems.push(p);
  for (const { object, origin } of parsed.objects) {
    if (KUBESCAPE_KINDS.has(object.kind)) out.push(...readKubescape(object, origin, problems));
    else if (object.kind === KORDON_EVIDENCE_KIND) out.push(...readKordonEvidence(object, origin, problems));
    else if (!other++) firstOther = origin.line;
  }
  if (other) problems.push({ source, line: firstOther, code: 'unknown-format', severity: 'warning', message: `${other} object(s) are neither Kubescape ApplicationProfile/ContainerProfile nor kordon RuntimeEvidence; skipped` });
  return out;
}

/**
 * Decoded events when the text is a stream of Tetragon or Falco events (JSON Lines, or one JSON
 * array of them); undefined when it is something else. A line that does not decode is a problem.
 */
function eventLines(source: string, text: string, problems: InputProblem[]): Array<{ line: number; value: unknown }> | undefined {
  const start = text.search(/\S/);
  if (start < 0) return undefined;
  if (text[start] === '[') {
    try {
      const arr = JSON.parse(text) as unknown;
      if (Array.isArray(arr) && arr.length > 0 && eventTool(arr[0])) return arr.map((value) => ({ line: 1, value }));
    } catch {
      /* not an array of events: read as objects below */
    }
    return undefined;
  }
  if (text[start] !== '{') return undefined;
  const nl = text.indexOf('\n', start);
  const firstLine = text.slice(start, nl < 0 ? undefined : nl);
  let first: unknown;
  try {
    first = JSON.parse(firstLine);
  } catch {
    return undefined;
  }
  if (!eventTool(first)) return undefined;
  const out: Array<{ line: number; value: unknown }> = [];
  let bad = 0;
  let firstBad = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!l) continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(l) });
    } catch {
      if (!bad++) firstBad = i + 1;
    }
  }
  if (bad) problems.push({ source, line: firstBad, code: 'json-syntax', severity: 'error', message: `${bad} line(s) are not valid JSON (the first here); skipped, the other events are read` });
  return out;
}
