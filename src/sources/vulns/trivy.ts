/**
 * Trivy's JSON report (`trivy image --format json`, SchemaVersion 2) and its Kubernetes report
 * (`trivy k8s --format json`: `Resources[]`, or `Vulnerabilities[]` in older versions).
 *
 * Read: `Metadata` (RepoTags, RepoDigests, ImageID), `Results[].Vulnerabilities[]`
 * (VulnerabilityID, PkgName, InstalledVersion, FixedVersion, Severity as stated, SeveritySource,
 * CVSS, VendorSeverity, PkgPath, PkgIdentifier.PURL) and `Results[].Packages[]` (with
 * `InstalledFiles` and `FilePath` when Trivy lists them). Other sections (Misconfigurations,
 * Secrets, Licenses, CustomResources) are not vulnerability data and are skipped silently.
 */
import { digestOf, packageKey, type ImageReport, type ReportImage, type ReportPackage, type ReportRating, type ReportVulnerability } from './model.js';
import { isObject, num, str, type ProblemSink } from './json-input.js';

/** Trivy's VendorSeverity numbers, as Trivy itself names them (not a re-mapping of the stated severity). */
const VENDOR_SEVERITY = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function readTrivyImage(doc: Record<string, unknown>, sink: ProblemSink): ImageReport {
  if (doc['SchemaVersion'] !== 2) sink.at('/SchemaVersion', `SchemaVersion ${typeof doc['SchemaVersion'] === 'number' ? doc['SchemaVersion'] : 'missing'}; read as version 2`, 'wrong-type', 'warning');
  const meta = isObject(doc['Metadata']) ? doc['Metadata'] : {};
  const image = imageOf(str(doc['ArtifactName']), meta);
  const report: ImageReport = { source: sink.source, format: 'trivy', pointer: '', image, vulnerabilities: [], packages: [], sbomOnly: false, resources: [], ...(str(doc['CreatedAt']) ? { created: str(doc['CreatedAt'])! } : {}) };
  const results = doc['Results'];
  if (results !== undefined && !Array.isArray(results)) sink.at('/Results', 'not a list; no results read');
  else if (Array.isArray(results)) results.forEach((r, i) => readResult(r, `/Results/${i}`, report, sink));
  return report;
}

export function readTrivyK8s(doc: Record<string, unknown>, sink: ProblemSink): ImageReport[] {
  const out: ImageReport[] = [];
  const field = Array.isArray(doc['Resources']) ? 'Resources' : Array.isArray(doc['Vulnerabilities']) ? 'Vulnerabilities' : undefined;
  if (!field) {
    if (doc['Resources'] !== undefined) sink.at('/Resources', 'not a list; nothing read');
    return out;
  }
  (doc[field] as unknown[]).forEach((res, i) => {
    const p = `/${field}/${i}`;
    if (!isObject(res)) return sink.at(p, 'not an object; skipped');
    const kind = str(res['Kind']);
    const name = str(res['Name']);
    const resource = kind && name ? { kind, name, ...(str(res['Namespace']) ? { namespace: str(res['Namespace'])! } : {}) } : undefined;
    const metas = Array.isArray(res['Metadata']) ? res['Metadata'].filter(isObject) : isObject(res['Metadata']) ? [res['Metadata']] : [];
    const results = Array.isArray(res['Results']) ? res['Results'] : [];
    if (res['Results'] !== undefined && !Array.isArray(res['Results'])) sink.at(`${p}/Results`, 'not a list; skipped');
    // results come in runs, one per image: an OS result whose Target is the image, then its
    // language results (Targets are file paths)
    let current: ImageReport | undefined;
    let used = 0;
    results.forEach((r, j) => {
      if (!isObject(r)) return sink.at(`${p}/Results/${j}`, 'not an object; skipped');
      const target = str(r['Target'])?.replace(/\s+\(.*\)$/, '');
      const vulns = Array.isArray(r['Vulnerabilities']) && r['Vulnerabilities'].length > 0;
      const pkgs = Array.isArray(r['Packages']) && r['Packages'].length > 0;
      if (target && looksLikeImage(target) && (vulns || pkgs || r['Class'] === 'os-pkgs')) {
        const meta = metas.find((m) => mentions(m, target)) ?? metas[used] ?? {};
        used++;
        current = { source: sink.source, format: 'trivy-k8s', pointer: p, image: imageOf(target, meta), vulnerabilities: [], packages: [], sbomOnly: false, resources: resource ? [resource] : [], ...(str(doc['CreatedAt']) ? { created: str(doc['CreatedAt'])! } : {}) };
        out.push(current);
      }
      if (!current) {
        if (vulns) sink.at(`${p}/Results/${j}/Target`, 'vulnerabilities of a target that names no image; skipped', 'wrong-type', 'warning');
        return;
      }
      readResult(r, `${p}/Results/${j}`, current, sink);
    });
  });
  return out;
}

function looksLikeImage(t: string): boolean {
  return !t.startsWith('/') && /^[a-z0-9]/i.test(t) && (/[:@]/.test(t) || !t.includes('/') || /^[^/]+\.[^/]+\//.test(t)) && !/\.(jar|war|json|lock|txt|toml|gemspec|py|exe)$/i.test(t);
}

function mentions(meta: Record<string, unknown>, ref: string): boolean {
  const all = [...(Array.isArray(meta['RepoTags']) ? meta['RepoTags'] : []), ...(Array.isArray(meta['RepoDigests']) ? meta['RepoDigests'] : [])];
  return all.some((x) => typeof x === 'string' && (x === ref || x.endsWith(`/${ref}`) || ref.endsWith(`/${x}`)));
}

function imageOf(reference: string | undefined, meta: Record<string, unknown>): ReportImage {
  const tags = (Array.isArray(meta['RepoTags']) ? meta['RepoTags'] : []).filter((t): t is string => typeof t === 'string');
  const digests = new Set<string>();
  for (const d of Array.isArray(meta['RepoDigests']) ? meta['RepoDigests'] : []) {
    const g = typeof d === 'string' ? digestOf(d) : undefined;
    if (g) digests.add(g);
  }
  const own = digestOf(reference);
  if (own) digests.add(own);
  const config = digestOf(str(meta['ImageID']));
  return { ...(reference ? { reference } : {}), digests: [...digests].sort(), ...(config ? { configDigest: config } : {}), tags };
}

function readResult(r: unknown, p: string, report: ImageReport, sink: ProblemSink): void {
  if (!isObject(r)) return sink.at(p, 'not an object; skipped');
  const vulns = r['Vulnerabilities'];
  if (vulns !== undefined && vulns !== null && !Array.isArray(vulns)) sink.at(`${p}/Vulnerabilities`, 'not a list; skipped');
  if (Array.isArray(vulns)) vulns.forEach((v, i) => {
    const rv = readVuln(v, `${p}/Vulnerabilities/${i}`, sink);
    if (rv) report.vulnerabilities.push(rv);
  });
  const pkgs = r['Packages'];
  if (Array.isArray(pkgs)) pkgs.forEach((x, i) => {
    if (!isObject(x)) return sink.at(`${p}/Packages/${i}`, 'not an object; skipped');
    const name = str(x['Name']);
    const version = str(x['Version']) ?? '';
    if (!name) return sink.at(`${p}/Packages/${i}`, 'package without a Name; skipped');
    const full = str(x['Release']) ? `${version}-${str(x['Release'])}` : version;
    const files = new Set<string>();
    for (const f of Array.isArray(x['InstalledFiles']) ? x['InstalledFiles'] : []) if (typeof f === 'string') files.add(absolute(f));
    const fp = str(x['FilePath']);
    if (fp) files.add(absolute(fp));
    const idf = isObject(x['Identifier']) ? x['Identifier'] : {};
    const pkg: ReportPackage = { key: packageKey(name, full), name, version: full, files: [...files] };
    if (str(idf['PURL'])) pkg.purl = str(idf['PURL'])!;
    report.packages.push(pkg);
  });
}

function readVuln(v: unknown, p: string, sink: ProblemSink): ReportVulnerability | undefined {
  if (!isObject(v)) {
    sink.at(p, 'not an object; skipped');
    return undefined;
  }
  const id = str(v['VulnerabilityID']);
  const name = str(v['PkgName']);
  if (!id || !name) {
    sink.at(p, `a vulnerability without ${!id ? 'VulnerabilityID' : 'PkgName'}; skipped`);
    return undefined;
  }
  const version = typeof v['InstalledVersion'] === 'string' ? v['InstalledVersion'] : '';
  const severity = str(v['Severity']);
  if (!severity) sink.at(p, `${id}: no Severity stated; kept as "unstated"`, 'wrong-type', 'warning');
  const ratings: ReportRating[] = [];
  const cvss = isObject(v['CVSS']) ? v['CVSS'] : {};
  const vendor = isObject(v['VendorSeverity']) ? v['VendorSeverity'] : {};
  for (const src of [...new Set([...Object.keys(vendor), ...Object.keys(cvss)])].sort()) {
    const c = isObject(cvss[src]) ? cvss[src] : {};
    const vs = num(vendor[src]);
    const score = num(c['V40Score']) ?? num(c['V3Score']) ?? num(c['V2Score']);
    const vector = str(c['V40Vector']) ?? str(c['V3Vector']) ?? str(c['V2Vector']);
    ratings.push({
      source: src,
      ...(vs !== undefined && VENDOR_SEVERITY[vs] ? { severity: VENDOR_SEVERITY[vs] } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(vector ? { vector } : {}),
      ...(score !== undefined ? { method: num(c['V40Score']) !== undefined ? 'CVSSv4' : num(c['V3Score']) !== undefined ? 'CVSSv3' : 'CVSSv2' } : {}),
    });
  }
  const idf = isObject(v['PkgIdentifier']) ? v['PkgIdentifier'] : {};
  const pkgPath = str(v['PkgPath']);
  const out: ReportVulnerability = {
    id,
    pkg: packageKey(name, version),
    pkgName: name,
    pkgVersion: version,
    severity: severity ?? 'unstated',
    ratings,
    paths: pkgPath ? [absolute(pkgPath)] : [],
    pointer: p,
  };
  if (str(idf['PURL'])) out.purl = str(idf['PURL'])!;
  if (str(v['FixedVersion'])) out.fixedVersion = str(v['FixedVersion'])!;
  if (str(v['SeveritySource'])) out.severitySource = str(v['SeveritySource'])!;
  if (str(v['Title'])) out.title = str(v['Title'])!;
  return out;
}

/** Trivy writes paths inside the image without the leading slash. */
export function absolute(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}

