/**
 * SBOMs without vulnerability data, read for the files each package owns (what reachability
 * needs) and joined with the vulnerability reports of the same image.
 *
 * Syft JSON: `artifacts[]` (id, name, version, purl, locations[].path, metadata.files[].path:
 * absolute, or relative to site-packages as Syft writes a Python RECORD),
 * `files[]` (id, location.path) and `artifactRelationships[]` of type `contains` (package → file);
 * the image from `source` (`metadata` or, in older schemas, `target`: userInput, imageID,
 * manifestDigest, tags, repoDigests; for a directory source, `name` and `version`).
 *
 * SPDX 2.3 JSON: `packages[]` (SPDXID, name, versionInfo, purl external refs, hasFiles),
 * `files[]` (SPDXID, fileName) and `relationships[]` (`CONTAINS`, `CONTAINED_BY` read the other
 * way, and Syft's `OTHER` "evident-by" for a package's locations); the image is the package
 * whose primaryPackagePurpose is CONTAINER (or an `pkg:oci` purl), else the package the document
 * describes when it is a scanned directory or file (name:version), else the document's name.
 */
import { digestOf, ociPurlDigest, packageKey, type ImageReport, type ReportImage, type ReportPackage } from './model.js';
import path from 'node:path';
import { isObject, str, type ProblemSink } from './json-input.js';

export function readSyft(doc: Record<string, unknown>, sink: ProblemSink): ImageReport {
  const source = isObject(doc['source']) ? doc['source'] : {};
  const meta = isObject(source['metadata']) ? source['metadata'] : isObject(source['target']) ? source['target'] : {};
  const digests = new Set<string>();
  for (const d of Array.isArray(meta['repoDigests']) ? meta['repoDigests'] : []) if (typeof d === 'string' && digestOf(d)) digests.add(digestOf(d)!);
  if (digestOf(str(meta['manifestDigest']))) digests.add(digestOf(str(meta['manifestDigest']))!);
  // an image source says what the user gave (userInput); a directory or file source
  // (`syft dir:rootfs --source-name NAME --source-version VERSION`) only its name and version
  const sname = str(source['name']);
  const sversion = str(source['version']);
  const reference = str(meta['userInput']) ?? (sname && sversion && !digestOf(sversion) && !/[:@]/.test(sname.split('/').pop()!) ? `${sname}:${sversion}` : sname);
  if (digestOf(reference)) digests.add(digestOf(reference)!);
  const config = digestOf(str(meta['imageID']));
  const image: ReportImage = { ...(reference ? { reference } : {}), digests: [...digests].sort(), ...(config ? { configDigest: config } : {}), tags: (Array.isArray(meta['tags']) ? meta['tags'] : []).filter((t): t is string => typeof t === 'string') };
  const report: ImageReport = { source: sink.source, format: 'syft', pointer: '', image, vulnerabilities: [], packages: [], sbomOnly: true, resources: [] };
  const fileById = new Map<string, string>();
  const files = doc['files'];
  if (files !== undefined && !Array.isArray(files)) sink.at('/files', 'not a list; skipped');
  if (Array.isArray(files)) files.forEach((f, i) => {
    if (!isObject(f)) return sink.at(`/files/${i}`, 'not an object; skipped');
    const id = str(f['id']);
    const loc = isObject(f['location']) ? str(f['location']['path']) : undefined;
    if (id && loc) fileById.set(id, loc);
  });
  const byId = new Map<string, Set<string>>();
  const arts = doc['artifacts'];
  if (!Array.isArray(arts)) sink.at('/artifacts', 'not a list; no packages read');
  else arts.forEach((a, i) => {
    if (!isObject(a)) return sink.at(`/artifacts/${i}`, 'not an object; skipped');
    const name = str(a['name']);
    if (!name) return sink.at(`/artifacts/${i}`, 'a package without a name; skipped');
    const version = typeof a['version'] === 'string' ? a['version'] : '';
    const owned = new Set<string>();
    for (const l of Array.isArray(a['locations']) ? a['locations'] : []) if (isObject(l) && str(l['path'])) owned.add(str(l['path'])!);
    const md = isObject(a['metadata']) ? a['metadata'] : {};
    const base = relativeBase(owned);
    for (const f of Array.isArray(md['files']) ? md['files'] : []) {
      const fp = isObject(f) ? str(f['path']) : undefined;
      if (!fp) continue;
      owned.add(fp.startsWith('/') || !base ? fp : path.posix.normalize(`${base}/${fp}`));
    }
    const pkg: ReportPackage = { key: packageKey(name, version), name, version, files: [] };
    if (str(a['purl'])) pkg.purl = str(a['purl'])!;
    report.packages.push(pkg);
    const id = str(a['id']);
    if (id) byId.set(id, owned);
    (pkg as ReportPackage & { owned?: Set<string> }).owned = owned;
  });
  const rels = doc['artifactRelationships'];
  if (rels !== undefined && !Array.isArray(rels)) sink.at('/artifactRelationships', 'not a list; skipped');
  if (Array.isArray(rels)) rels.forEach((r, i) => {
    if (!isObject(r)) return sink.at(`/artifactRelationships/${i}`, 'not an object; skipped');
    if (r['type'] !== 'contains') return;
    const owned = byId.get(str(r['parent']) ?? '');
    const file = fileById.get(str(r['child']) ?? '');
    if (owned && file) owned.add(file);
  });
  for (const p of report.packages) {
    const x = p as ReportPackage & { owned?: Set<string> };
    p.files = [...(x.owned ?? [])].sort();
    delete x.owned;
  }
  return report;
}

/**
 * Where a Python package's relative file paths start: Syft writes them as the RECORD lists them,
 * relative to the directory holding the `.dist-info` (`requests/api.py`, `../../../bin/x`).
 * Undefined for other packages: their relative paths are read from the root.
 */
function relativeBase(locations: Set<string>): string | undefined {
  for (const l of locations) {
    const m = /^(\/.*)\/[^/]+\.(?:dist-info|egg-info)(?:\/|$)/.exec(l);
    if (m) return m[1];
  }
  return undefined;
}

export function readSpdx(doc: Record<string, unknown>, sink: ProblemSink): ImageReport {
  const version = str(doc['spdxVersion']);
  if (version !== 'SPDX-2.3') sink.at('/spdxVersion', `${version ?? 'no spdxVersion'}; read as SPDX-2.3`, 'wrong-type', 'warning');
  const fileName = new Map<string, string>();
  const files = doc['files'];
  if (files !== undefined && !Array.isArray(files)) sink.at('/files', 'not a list; skipped');
  if (Array.isArray(files)) files.forEach((f, i) => {
    if (!isObject(f)) return sink.at(`/files/${i}`, 'not an object; skipped');
    const id = str(f['SPDXID']);
    const n = str(f['fileName']);
    if (id && n) fileName.set(id, n.replace(/^\.\//, '/').replace(/^(?!\/)/, '/'));
  });
  // the package the document describes is its subject (Syft: the image, or the directory scanned)
  const described = new Set<string>();
  for (const d of Array.isArray(doc['documentDescribes']) ? doc['documentDescribes'] : []) if (typeof d === 'string') described.add(d);
  if (Array.isArray(doc['relationships'])) for (const r of doc['relationships']) if (isObject(r) && r['relationshipType'] === 'DESCRIBES' && r['spdxElementId'] === 'SPDXRef-DOCUMENT' && str(r['relatedSpdxElement'])) described.add(str(r['relatedSpdxElement'])!);
  let subject: ReportImage | undefined;
  const pkgs = Array.isArray(doc['packages']) ? doc['packages'] : [];
  if (doc['packages'] !== undefined && !Array.isArray(doc['packages'])) sink.at('/packages', 'not a list; no packages read');
  const byId = new Map<string, { pkg: ReportPackage; owned: Set<string> }>();
  let image: ReportImage | undefined;
  const report: ImageReport = { source: sink.source, format: 'spdx', pointer: '', image: { digests: [], tags: [] }, vulnerabilities: [], packages: [], sbomOnly: true, resources: [] };
  pkgs.forEach((x, i) => {
    if (!isObject(x)) return sink.at(`/packages/${i}`, 'not an object; skipped');
    const name = str(x['name']);
    const id = str(x['SPDXID']);
    if (!name) return sink.at(`/packages/${i}`, 'a package without a name; skipped');
    const ver = typeof x['versionInfo'] === 'string' ? x['versionInfo'] : '';
    let purl: string | undefined;
    for (const r of Array.isArray(x['externalRefs']) ? x['externalRefs'] : []) if (isObject(r) && r['referenceType'] === 'purl' && str(r['referenceLocator'])) purl = str(r['referenceLocator']);
    if (x['primaryPackagePurpose'] === 'CONTAINER' || purl?.startsWith('pkg:oci/')) {
      const digests = new Set<string>();
      const d = digestOf(ver) ?? (purl ? ociPurlDigest(purl) : undefined);
      if (d) digests.add(d);
      image = { reference: ver && !digestOf(ver) && !name.includes(':') ? `${name}:${ver}` : name, digests: [...digests], tags: [] };
      return;
    }
    if (id && described.has(id) && (x['primaryPackagePurpose'] === 'FILE' || id.startsWith('SPDXRef-DocumentRoot-'))) {
      // a directory or file scanned (`syft dir:… --source-name NAME --source-version VERSION`)
      const d = digestOf(ver);
      subject = { reference: ver && !d && !/[:@]/.test(name.split('/').pop()!) ? `${name}:${ver}` : name, digests: d ? [d] : [], tags: [] };
      return;
    }
    const owned = new Set<string>();
    for (const f of Array.isArray(x['hasFiles']) ? x['hasFiles'] : []) if (typeof f === 'string' && fileName.has(f)) owned.add(fileName.get(f)!);
    const pkg: ReportPackage = { key: packageKey(name, ver), name, version: ver, files: [] };
    if (purl) pkg.purl = purl;
    report.packages.push(pkg);
    if (id) byId.set(id, { pkg, owned });
  });
  const rels = doc['relationships'];
  if (rels !== undefined && !Array.isArray(rels)) sink.at('/relationships', 'not a list; skipped');
  if (Array.isArray(rels)) rels.forEach((r, i) => {
    if (!isObject(r)) return sink.at(`/relationships/${i}`, 'not an object; skipped');
    const a = str(r['spdxElementId']) ?? '';
    const b = str(r['relatedSpdxElement']) ?? '';
    const t = r['relationshipType'];
    // Syft writes the files that show a package (its locations: the binary of a Go module, a
    // package.json, a dist-info) as OTHER with the comment "evident-by: …"
    const evident = t === 'OTHER' && /^evident-by\b/.test(str(r['comment']) ?? '');
    const [pkgId, fileId] = t === 'CONTAINS' || evident ? [a, b] : t === 'CONTAINED_BY' ? [b, a] : ['', ''];
    const owner = byId.get(pkgId);
    const file = fileName.get(fileId);
    if (owner && file) owner.owned.add(file);
  });
  for (const { pkg, owned } of byId.values()) pkg.files = [...owned].sort();
  const ci = isObject(doc['creationInfo']) ? doc['creationInfo'] : {};
  if (str(ci['created'])) report.created = str(ci['created'])!;
  report.image = image ?? subject ?? { ...(str(doc['name']) ? { reference: str(doc['name'])! } : {}), digests: [], tags: [] };
  return report;
}
