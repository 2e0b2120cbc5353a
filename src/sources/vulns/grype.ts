/**
 * Grype's JSON report (`grype IMAGE -o json`): `matches[]` with `vulnerability` (id, severity as
 * stated, cvss[], fix.versions, epss[], knownExploited[]), `relatedVulnerabilities[]` (aliases)
 * and `artifact` (name, version, purl, locations[].path); `source.target` names the image
 * (userInput, imageID, manifestDigest, repoDigests, tags). `ignoredMatches` are matches the
 * user's Grype configuration chose to ignore: skipped without a problem.
 */
import { digestOf, packageKey, type ImageReport, type ReportRating, type ReportVulnerability } from './model.js';
import { isObject, num, str, type ProblemSink } from './json-input.js';

export function readGrype(doc: Record<string, unknown>, sink: ProblemSink): ImageReport {
  const source = isObject(doc['source']) ? doc['source'] : {};
  const target = isObject(source['target']) ? source['target'] : {};
  const digests = new Set<string>();
  for (const d of Array.isArray(target['repoDigests']) ? target['repoDigests'] : []) {
    const g = typeof d === 'string' ? digestOf(d) : undefined;
    if (g) digests.add(g);
  }
  const manifest = digestOf(str(target['manifestDigest']));
  if (manifest) digests.add(manifest);
  const reference = str(target['userInput']) ?? (typeof source['target'] === 'string' ? source['target'] : undefined);
  const own = digestOf(reference);
  if (own) digests.add(own);
  const config = digestOf(str(target['imageID']));
  const tags = (Array.isArray(target['tags']) ? target['tags'] : []).filter((t): t is string => typeof t === 'string');
  const report: ImageReport = {
    source: sink.source,
    format: 'grype',
    pointer: '',
    image: { ...(reference ? { reference } : {}), digests: [...digests].sort(), ...(config ? { configDigest: config } : {}), tags },
    vulnerabilities: [],
    packages: [],
    sbomOnly: false,
    resources: [],
    ...(isObject(doc['descriptor']) && str(doc['descriptor']['timestamp']) ? { created: str(doc['descriptor']['timestamp'])! } : {}),
  };
  const matches = doc['matches'];
  if (!Array.isArray(matches)) {
    sink.at('/matches', 'not a list; no matches read');
    return report;
  }
  matches.forEach((m, i) => {
    const v = readMatch(m, `/matches/${i}`, sink);
    if (v) report.vulnerabilities.push(v);
  });
  return report;
}

function readMatch(m: unknown, p: string, sink: ProblemSink): ReportVulnerability | undefined {
  if (!isObject(m)) {
    sink.at(p, 'not an object; skipped');
    return undefined;
  }
  const vuln = m['vulnerability'];
  const art = m['artifact'];
  if (!isObject(vuln) || !isObject(art)) {
    sink.at(p, `a match without ${!isObject(vuln) ? 'vulnerability' : 'artifact'}; skipped`);
    return undefined;
  }
  const id = str(vuln['id']);
  const name = str(art['name']);
  if (!id || !name) {
    sink.at(`${p}/${!id ? 'vulnerability' : 'artifact'}`, `no ${!id ? 'id' : 'name'}; skipped`);
    return undefined;
  }
  const version = typeof art['version'] === 'string' ? art['version'] : '';
  const severity = str(vuln['severity']);
  if (!severity) sink.at(`${p}/vulnerability`, `${id}: no severity stated; kept as "unstated"`, 'wrong-type', 'warning');
  const ratings: ReportRating[] = [];
  for (const c of Array.isArray(vuln['cvss']) ? vuln['cvss'] : []) {
    if (!isObject(c)) continue;
    const metrics = isObject(c['metrics']) ? c['metrics'] : {};
    const score = num(metrics['baseScore']);
    ratings.push({
      source: str(c['source']) ?? 'grype',
      ...(score !== undefined ? { score } : {}),
      ...(str(c['vector']) ? { vector: str(c['vector'])! } : {}),
      ...(str(c['version']) ? { method: `CVSSv${str(c['version'])}` } : {}),
    });
  }
  const aliases = new Set<string>();
  for (const r of Array.isArray(m['relatedVulnerabilities']) ? m['relatedVulnerabilities'] : []) if (isObject(r) && str(r['id']) && r['id'] !== id) aliases.add(str(r['id'])!);
  const paths = new Set<string>();
  for (const l of Array.isArray(art['locations']) ? art['locations'] : []) if (isObject(l) && str(l['path'])) paths.add(str(l['path'])!);
  const fix = isObject(vuln['fix']) ? vuln['fix'] : {};
  const fixes = (Array.isArray(fix['versions']) ? fix['versions'] : []).filter((x): x is string => typeof x === 'string' && x !== '');
  let epss: number | undefined;
  for (const e of Array.isArray(vuln['epss']) ? vuln['epss'] : []) if (isObject(e) && num(e['epss']) !== undefined) epss = Math.max(epss ?? 0, num(e['epss'])!);
  const kev = Array.isArray(vuln['knownExploited']) && vuln['knownExploited'].length > 0;
  const out: ReportVulnerability = { id, pkg: packageKey(name, version), pkgName: name, pkgVersion: version, severity: severity ?? 'unstated', severitySource: 'grype', ratings, paths: [...paths], pointer: p };
  if (aliases.size) out.aliases = [...aliases].sort();
  if (str(art['purl'])) out.purl = str(art['purl'])!;
  if (fixes.length) out.fixedVersion = fixes.join(', ');
  if (epss !== undefined) out.epss = epss;
  if (kev) out.kev = true;
  if (str(vuln['description'])) out.title = str(vuln['description'])!.split('\n')[0]!.slice(0, 200);
  return out;
}
