/**
 * CycloneDX JSON (specVersion 1.4–1.7), as an SBOM and with vulnerabilities.
 *
 * The image: `metadata.component` (type `container`: name, version, purl `pkg:oci/…@sha256%3A…`,
 * Trivy's `aquasecurity:trivy:RepoDigest`/`ImageID`/`RepoTag` properties). Packages:
 * `components[]` (nested too) with bom-ref, name, version, purl, and the files each occupies
 * (`evidence.occurrences[].location`, location properties such as `syft:location:0:path`).
 * Vulnerabilities: `vulnerabilities[]` with `ratings[]` (each kept with its source; the first
 * rating that states a severity is the severity shown), `affects[].ref` → the component, the
 * fixed version from `affects[].versions[]` marked `unaffected` or a fixed-version property.
 */
import { digestOf, ociPurlDigest, packageKey, type ImageReport, type ReportPackage, type ReportRating, type ReportVulnerability } from './model.js';
import { isObject, num, str, type ProblemSink } from './json-input.js';

export function readCycloneDx(doc: Record<string, unknown>, sink: ProblemSink): ImageReport {
  const spec = str(doc['specVersion']);
  if (!spec || !/^1\.[4-7]$/.test(spec)) sink.at('/specVersion', `specVersion ${spec ?? 'missing'}; kordon reads 1.4 to 1.7 (read as 1.7)`, 'wrong-type', 'warning');
  const meta = isObject(doc['metadata']) ? doc['metadata'] : {};
  const main = isObject(meta['component']) ? meta['component'] : {};
  const digests = new Set<string>();
  const tags: string[] = [];
  let config: string | undefined;
  const purl = str(main['purl']);
  if (purl?.startsWith('pkg:oci/')) {
    const d = ociPurlDigest(purl);
    if (d) digests.add(d);
  }
  const v = digestOf(str(main['version']));
  if (v) digests.add(v);
  for (const prop of Array.isArray(main['properties']) ? main['properties'] : []) {
    if (!isObject(prop)) continue;
    const n = str(prop['name']) ?? '';
    const val = str(prop['value']);
    if (!val) continue;
    if (/RepoDigest$/i.test(n) && digestOf(val)) digests.add(digestOf(val)!);
    else if (/ImageID$/i.test(n) && digestOf(val)) config = digestOf(val);
    else if (/RepoTag$/i.test(n)) tags.push(val);
  }
  const name = str(main['name']);
  const version = str(main['version']);
  const reference = name ? (version && !digestOf(version) && !name.includes(':') ? `${name}:${version}` : name) : undefined;
  const report: ImageReport = {
    source: sink.source,
    format: 'cyclonedx',
    pointer: '',
    image: { ...(reference ? { reference } : {}), digests: [...digests].sort(), ...(config ? { configDigest: config } : {}), tags },
    vulnerabilities: [],
    packages: [],
    sbomOnly: !Array.isArray(doc['vulnerabilities']),
    resources: [],
    ...(str(meta['timestamp']) ? { created: str(meta['timestamp'])! } : {}),
  };
  const byRef = new Map<string, ReportPackage>();
  const walk = (list: unknown, p: string): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) return sink.at(p, 'not a list; skipped');
    list.forEach((c, i) => {
      const cp = `${p}/${i}`;
      if (!isObject(c)) return sink.at(cp, 'not an object; skipped');
      const cname = str(c['name']);
      if (cname && c['type'] !== 'file' && c['type'] !== 'container' && c['type'] !== 'operating-system') {
        const cver = typeof c['version'] === 'string' ? c['version'] : '';
        const files = new Set<string>();
        const ev = isObject(c['evidence']) ? c['evidence'] : {};
        for (const o of Array.isArray(ev['occurrences']) ? ev['occurrences'] : []) if (isObject(o) && str(o['location'])) files.add(str(o['location'])!);
        for (const prop of Array.isArray(c['properties']) ? c['properties'] : []) {
          if (!isObject(prop)) continue;
          const n = str(prop['name']) ?? '';
          if (/(^|:)location:\d+:path$|:(FilePath|PkgPath)$/i.test(n) && str(prop['value'])) files.add(str(prop['value'])!.startsWith('/') ? str(prop['value'])! : `/${str(prop['value'])}`);
        }
        const pkg: ReportPackage = { key: packageKey(cname, cver), name: cname, version: cver, files: [...files] };
        if (str(c['purl'])) pkg.purl = str(c['purl'])!;
        report.packages.push(pkg);
        const ref = str(c['bom-ref']);
        if (ref) byRef.set(ref, pkg);
      }
      walk(c['components'], `${cp}/components`);
    });
  };
  walk(doc['components'], '/components');
  const vulns = doc['vulnerabilities'];
  if (vulns !== undefined && !Array.isArray(vulns)) sink.at('/vulnerabilities', 'not a list; skipped');
  if (Array.isArray(vulns)) vulns.forEach((x, i) => readVuln(x, `/vulnerabilities/${i}`, byRef, report, sink));
  return report;
}

function readVuln(x: unknown, p: string, byRef: Map<string, ReportPackage>, report: ImageReport, sink: ProblemSink): void {
  if (!isObject(x)) return sink.at(p, 'not an object; skipped');
  const id = str(x['id']);
  if (!id) return sink.at(p, 'a vulnerability without id; skipped');
  const ratings: ReportRating[] = [];
  for (const r of Array.isArray(x['ratings']) ? x['ratings'] : []) {
    if (!isObject(r)) continue;
    const src = isObject(r['source']) ? str(r['source']['name']) : undefined;
    const score = num(r['score']);
    ratings.push({
      source: src ?? (isObject(x['source']) ? str(x['source']['name']) : undefined) ?? 'unnamed',
      ...(str(r['severity']) ? { severity: str(r['severity'])! } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(str(r['vector']) ? { vector: str(r['vector'])! } : {}),
      ...(str(r['method']) ? { method: str(r['method'])! } : {}),
    });
  }
  const chosen = ratings.find((r) => r.severity);
  if (!chosen) sink.at(p, `${id}: no rating states a severity; kept as "unstated"`, 'wrong-type', 'warning');
  const aliases = new Set<string>();
  for (const r of Array.isArray(x['references']) ? x['references'] : []) if (isObject(r) && str(r['id']) && r['id'] !== id) aliases.add(str(r['id'])!);
  let fixed: string | undefined;
  for (const prop of Array.isArray(x['properties']) ? x['properties'] : []) if (isObject(prop) && /fixed-?version$/i.test(str(prop['name']) ?? '') && str(prop['value'])) fixed = str(prop['value']);
  const affects = Array.isArray(x['affects']) ? x['affects'] : [];
  if (affects.length === 0) sink.at(p, `${id}: affects no component; skipped`, 'wrong-type', 'warning');
  affects.forEach((a, j) => {
    if (!isObject(a)) return sink.at(`${p}/affects/${j}`, 'not an object; skipped');
    const ref = str(a['ref']);
    const pkg = ref ? byRef.get(ref) : undefined;
    if (!pkg) return sink.at(`${p}/affects/${j}/ref`, `${id}: the affected component is not in the document; skipped`, 'wrong-type', 'warning');
    let fix = fixed;
    for (const ver of Array.isArray(a['versions']) ? a['versions'] : []) if (isObject(ver) && ver['status'] === 'unaffected' && str(ver['version'])) fix = str(ver['version']);
    const v: ReportVulnerability = { id, pkg: pkg.key, pkgName: pkg.name, pkgVersion: pkg.version, severity: chosen?.severity ?? 'unstated', ratings, paths: [...pkg.files], pointer: p };
    if (chosen) v.severitySource = chosen.source;
    if (aliases.size) v.aliases = [...aliases].sort();
    if (pkg.purl) v.purl = pkg.purl;
    if (fix) v.fixedVersion = fix;
    report.vulnerabilities.push(v);
  });
}
