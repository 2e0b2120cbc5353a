/**
 * VEX out: OpenVEX 0.2.0 and CycloneDX 1.6 VEX documents from the analysis.
 *
 * OpenVEX products are the image, once per manifest digest known (index and platform
 * manifests), each with its general purl beside the exact one; subcomponents the package's purl
 * as the report wrote it, with its general form (see generalPurl).
 *
 * Only a vulnerability whose every running container has complete evidence without a file of
 * the package is `not_affected` (`vulnerable_code_not_in_execute_path` in OpenVEX,
 * `not_affected`/`code_not_reachable` in CycloneDX); everything else is `affected` (OpenVEX,
 * with an action statement: the fix version, or that none is known) or `in_triage` (CycloneDX).
 * The evidence (files, windows, tools) is in each statement's notes. Documents are
 * deterministic: the id is a hash of the content, the timestamp is given or taken from the
 * inputs (never the clock).
 */
import { builtin } from '../util/builtins.js';
import { parseImageRef } from './image-ref.js';
import type { ImageEntry, VulnAnalysis, VulnEntry } from './analyse.js';
import { VERSION } from '../version.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/** encodeURIComponent for any text: a lone surrogate (from a report) becomes U+FFFD instead of throwing. */
function enc(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** A product IRI for an image: `pkg:oci/NAME@DIGEST?repository_url=REGISTRY/REPO` when a digest is known. */
export function imagePurl(img: Pick<ImageEntry, 'image' | 'digest'>): string {
  const n = parseImageRef(img.image);
  const name = n ? n.repository.split('/').pop()! : img.image;
  if (img.digest) return `pkg:oci/${enc(name)}@${enc(img.digest)}${n ? `?repository_url=${enc(`${n.registry}/${n.repository}`)}` : ''}`;
  return `pkg:oci/${enc(name)}${n?.tag ? `?repository_url=${enc(`${n.registry}/${n.repository}`)}&tag=${enc(n.tag)}` : ''}`;
}

function notes(v: VulnEntry): string {
  const parts = [v.evidence.reason];
  for (const c of v.evidence.containers) parts.push(`${c.workload}${c.container ? ` container ${c.container}` : ''}: ${c.verdict === 'yes' ? 'in use' : c.verdict === 'no' ? 'not observed' : 'no evidence'} (${c.reason}${c.window ? `; window ${c.window.from ?? '?'} to ${c.window.to ?? 'the end of the learning period'}` : ''})`);
  for (const f of v.evidence.files) parts.push(`${f.file} ${f.observed === 'exec' ? 'executed' : 'opened'} (${f.tool}, ${f.source}${f.line ? `:${f.line}` : ''})`);
  return parts.join('; ');
}

/**
 * Whether a purl from a report can be an OpenVEX `@id` (an IRI; the schema checks it as a URI,
 * RFC 3986): a scheme, then only URI characters, every `%` starting an escape. A report's purl
 * that is not one stays in the subcomponent's `identifiers.purl`, as the report wrote it.
 */
export function isUri(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]*$/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s);
}

/**
 * A purl without its qualifiers and subpath (`pkg:deb/debian/zlib1g@1.2.13?arch=amd64&distro=debian-12`
 * → `pkg:deb/debian/zlib1g@1.2.13`). OpenVEX consumers (go-vex's `PurlMatches`) match a statement's
 * purl only when every qualifier it has is in theirs: the scanner's own qualifiers
 * (`distro=debian-12` from one tool, `debian-12.4` from another; `repository_url`) would make a
 * statement miss the same package or image. The general form is given beside the exact one, as
 * `identifiers.purl`; it stays bound to the version, and to the image digest for products.
 */
export function generalPurl(purl: string): string {
  return purl.replace(/[?#].*$/, '');
}

/** A subcomponent: the report's purl as `@id` (when it is a URI), and its general form. */
function subcomponent(purl: string): Record<string, unknown> {
  if (!isUri(purl)) return { identifiers: { purl } };
  const general = generalPurl(purl);
  return general !== purl ? { '@id': purl, identifiers: { purl: general } } : { '@id': purl };
}

function hashId(value: unknown): string {
  return builtin('crypto').createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function toOpenVex(a: VulnAnalysis, timestamp: string): object {
  const byKey = new Map(a.images.map((i) => [i.key, i]));
  const statements = a.vulnerabilities.map((v) => {
    const img = byKey.get(v.imageKey)!;
    // one product per manifest digest the reports know (a multi-arch index and its platform
    // manifests: a consumer names the image by whichever it pulled)
    const digests = img.digest ? [img.digest, ...img.digests.filter((d) => d !== img.digest)] : [undefined];
    const products = digests.map((digest) => {
      const id = imagePurl({ image: img.image, ...(digest ? { digest } : {}) });
      const product: Record<string, unknown> = { '@id': id };
      if (digest) product['identifiers'] = { purl: generalPurl(id) };
      if (v.purl) product['subcomponents'] = [subcomponent(v.purl)];
      return product;
    });
    const vulnerability: Record<string, unknown> = { name: v.id };
    if (v.aliases.length) vulnerability['aliases'] = v.aliases;
    const st: Record<string, unknown> = { vulnerability, products };
    if (v.inUse === 'no') {
      st['status'] = 'not_affected';
      st['justification'] = 'vulnerable_code_not_in_execute_path';
    } else {
      st['status'] = 'affected';
      st['action_statement'] = v.fixedVersion ? `Upgrade ${v.package} to ${v.fixedVersion} (rebuild ${img.image}).` : `No fixed version of ${v.package} is known to the report; mitigate or replace the package.`;
    }
    st['status_notes'] = `${v.package} ${v.version}: ${notes(v)}`;
    return st;
  });
  const body = { statements };
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': `https://kordon.dev/vex/${hashId({ timestamp, body })}`,
    author: 'kordon',
    role: 'Document Creator',
    timestamp,
    version: 1,
    tooling: `kordon ${VERSION}`,
    statements,
  };
}

/** CycloneDX severities; a stated severity outside them stays in a property, never re-mapped. */
const CDX_SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown']);

export function toCycloneDxVex(a: VulnAnalysis, timestamp: string): object {
  const components: object[] = [];
  const seen = new Set<string>();
  for (const img of a.images) {
    const ref = `image:${img.key}`;
    components.push({ 'bom-ref': ref, type: 'container', name: img.image, ...(img.digest ? { version: img.digest } : {}), purl: imagePurl(img) });
    seen.add(ref);
  }
  const vulnerabilities = a.vulnerabilities.map((v) => {
    const pkgRef = `pkg:${v.imageKey}:${v.package}@${v.version}`;
    if (!seen.has(pkgRef)) {
      seen.add(pkgRef);
      components.push({ 'bom-ref': pkgRef, type: 'library', name: v.package, version: v.version, ...(v.purl ? { purl: v.purl } : {}) });
    }
    const ratings = v.ratings.map((r) => ({
      source: { name: r.source },
      ...(r.score !== undefined ? { score: r.score } : {}),
      ...(r.severity && CDX_SEVERITIES.has(r.severity.toLowerCase()) ? { severity: r.severity.toLowerCase() } : {}),
      ...(r.method && /^(CVSSv2|CVSSv3|CVSSv31|CVSSv4|OWASP|SSVC|other)$/.test(r.method.replace('CVSSv3.1', 'CVSSv31').replace('CVSSv3.0', 'CVSSv3').replace('CVSSv4.0', 'CVSSv4')) ? { method: r.method.replace('CVSSv3.1', 'CVSSv31').replace('CVSSv3.0', 'CVSSv3').replace('CVSSv4.0', 'CVSSv4') } : {}),
      ...(r.vector ? { vector: r.vector } : {}),
    }));
    return {
      'bom-ref': `vuln:${v.imageKey}:${v.id}:${v.package}@${v.version}`,
      id: v.id,
      ...(ratings.length ? { ratings } : {}),
      ...(v.fixedVersion ? { recommendation: `Upgrade ${v.package} to ${v.fixedVersion}.` } : {}),
      analysis: v.inUse === 'no' ? { state: 'not_affected', justification: 'code_not_reachable', detail: notes(v) } : { state: 'in_triage', detail: notes(v) },
      affects: [{ ref: pkgRef }, { ref: `image:${v.imageKey}` }],
      properties: [
        { name: 'kordon:severity', value: v.severity },
        ...(v.severitySource ? [{ name: 'kordon:severity-source', value: v.severitySource }] : []),
        { name: 'kordon:in-use', value: v.inUse },
        ...(v.kev ? [{ name: 'kordon:known-exploited', value: 'true' }] : []),
        ...(v.epss !== undefined ? [{ name: 'kordon:epss', value: String(v.epss) }] : []),
      ],
    };
  });
  const h = hashId({ timestamp, components, vulnerabilities });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`,
    version: 1,
    metadata: { timestamp, tools: { components: [{ type: 'application', name: 'kordon', version: VERSION }] } },
    components,
    vulnerabilities,
  };
}
