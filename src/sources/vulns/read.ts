/**
 * `--vulns FILE|DIR`: reads vulnerability reports and SBOMs, detecting the format of each file
 * from its content (not its name). A file that cannot be read, is not JSON, is cut short or is in
 * no format kordon knows gives a problem naming the file and line; the other files are read.
 */
import type { InputProblem } from '../../inventory/types.js';
import { expandInputs, isObject, parseJson, ProblemSink, readReportText, ReportText } from './json-input.js';
import type { ImageReport, ReportFormat } from './model.js';
import { readTrivyImage, readTrivyK8s } from './trivy.js';
import { readGrype } from './grype.js';
import { readCycloneDx } from './cyclonedx.js';
import { readSpdx, readSyft } from './sbom.js';

export interface VulnInput {
  reports: ImageReport[];
  problems: InputProblem[];
  /** Files read, with the format found. */
  files: Array<{ source: string; format: ReportFormat }>;
}

/** The format of a decoded document, or undefined. */
export function detectFormat(doc: unknown): ReportFormat | undefined {
  if (!isObject(doc)) return undefined;
  if (doc['bomFormat'] === 'CycloneDX') return 'cyclonedx';
  if (typeof doc['spdxVersion'] === 'string') return 'spdx';
  if (Array.isArray(doc['matches']) && (isObject(doc['source']) || isObject(doc['descriptor']))) return 'grype';
  if (Array.isArray(doc['artifacts']) && (Array.isArray(doc['artifactRelationships']) || (isObject(doc['descriptor']) && doc['descriptor']['name'] === 'syft'))) return 'syft';
  if ('ClusterName' in doc || (Array.isArray(doc['Resources']) && !('Results' in doc))) return 'trivy-k8s';
  if ('SchemaVersion' in doc && ('Results' in doc || 'ArtifactName' in doc)) return 'trivy';
  return undefined;
}

/** Reads one document's text (already in memory) into image reports. */
export function readVulnText(source: string, text: string, problems: InputProblem[]): { reports: ImageReport[]; format?: ReportFormat } {
  const doc = new ReportText(source, text);
  const parsed = parseJson(doc);
  if ('problem' in parsed) {
    problems.push(parsed.problem);
    return { reports: [] };
  }
  const format = detectFormat(parsed.value);
  if (!format) {
    problems.push({ source, line: 1, code: 'unknown-format', severity: 'error', message: 'not a vulnerability report or SBOM kordon reads (Trivy JSON or Kubernetes report, Grype JSON, CycloneDX, Syft JSON, SPDX 2.3 JSON); not read' });
    return { reports: [] };
  }
  const sink = new ProblemSink(problems, doc, source);
  const value = parsed.value as Record<string, unknown>;
  const reports =
    format === 'trivy' ? [readTrivyImage(value, sink)]
    : format === 'trivy-k8s' ? readTrivyK8s(value, sink)
    : format === 'grype' ? [readGrype(value, sink)]
    : format === 'cyclonedx' ? [readCycloneDx(value, sink)]
    : format === 'syft' ? [readSyft(value, sink)]
    : [readSpdx(value, sink)];
  for (const r of reports) if (!r.image.reference && r.image.digests.length === 0 && !r.image.configDigest && r.resources.length === 0) sink.at('', `the ${format} document names no image (no reference or digest); its ${r.sbomOnly ? 'packages' : 'vulnerabilities'} cannot be matched to workloads`, 'wrong-type', 'warning');
  return { reports, format };
}

export async function readVulnInputs(paths: readonly string[], opts: { maxFileSize?: number } = {}): Promise<VulnInput> {
  const problems: InputProblem[] = [];
  const files = await expandInputs(paths, ['.json'], problems);
  const out: VulnInput = { reports: [], problems, files: [] };
  for (const f of files) {
    const t = await readReportText(f, opts.maxFileSize);
    if ('problem' in t) {
      problems.push(t.problem);
      continue;
    }
    const { reports, format } = readVulnText(f, t.text, problems);
    if (format) out.files.push({ source: f, format });
    out.reports.push(...reports);
  }
  return out;
}

