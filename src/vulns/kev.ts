/**
 * CISA's Known Exploited Vulnerabilities catalogue (`known_exploited_vulnerabilities.json`:
 * `catalogVersion`, `dateReleased`, `vulnerabilities[].cveID`), read from a file the user keeps
 * (refreshed offline by replacing the file). A CVE in it is flagged known exploited.
 */
import type { InputProblem } from '../inventory/types.js';
import { isObject, parseJson, readReportText, ReportText, str } from '../sources/vulns/json-input.js';

export interface KevCatalog {
  ids: Set<string>;
  /** `CISA KEV 2026.01.31` (the catalogue's version or release date). */
  source: string;
}

export async function readKevCatalog(file: string): Promise<{ catalog?: KevCatalog; problems: InputProblem[] }> {
  const t = await readReportText(file);
  if ('problem' in t) return { problems: [t.problem] };
  return readKevText(file, t.text);
}

export function readKevText(file: string, text: string): { catalog?: KevCatalog; problems: InputProblem[] } {
  const doc = new ReportText(file, text);
  const parsed = parseJson(doc);
  if ('problem' in parsed) return { problems: [parsed.problem] };
  const v = parsed.value;
  if (!isObject(v) || !Array.isArray(v['vulnerabilities'])) return { problems: [{ source: file, line: 1, code: 'unknown-format', severity: 'error', message: 'not a CISA KEV catalogue (no vulnerabilities list); not read' }] };
  const ids = new Set<string>();
  let bad = 0;
  for (const e of v['vulnerabilities']) {
    const id = isObject(e) ? str(e['cveID']) : undefined;
    if (id) ids.add(id);
    else bad++;
  }
  const problems: InputProblem[] = bad ? [{ source: file, line: doc.lineOf('/vulnerabilities'), code: 'wrong-type', severity: 'warning', message: `/vulnerabilities: ${bad} entr${bad === 1 ? 'y' : 'ies'} without cveID; skipped` }] : [];
  return { catalog: { ids, source: `CISA KEV ${str(v['catalogVersion']) ?? str(v['dateReleased']) ?? file}` }, problems };
}
