/**
 * What kordon keeps from a vulnerability report or an SBOM, whatever tool wrote it: the image it
 * describes, its packages (with the files each owns, when the document says), and its
 * vulnerabilities with the severity exactly as the document states it.
 */

export type ReportFormat = 'trivy' | 'trivy-k8s' | 'grype' | 'cyclonedx' | 'syft' | 'spdx';

/** How the document names the image. Digests are `sha256:…` (algorithm and hex). */
export interface ReportImage {
  /** The reference as the scanner was given it (`nginx:1.25`, `ghcr.io/x/y@sha256:…`). */
  reference?: string;
  /** Digests of manifests or indexes the image is known by (repo digests, manifest digest). */
  digests: string[];
  /** The image config digest (`Metadata.ImageID`, Grype's `imageID`): the same content everywhere. */
  configDigest?: string;
  /** Further references (RepoTags, tags). */
  tags: string[];
}

export interface ReportRating {
  /** Who rated: `nvd`, `ghsa`, a CycloneDX rating source name, the scanner (`trivy`, `grype`). */
  source: string;
  severity?: string;
  score?: number;
  vector?: string;
  method?: string;
}

export interface ReportVulnerability {
  id: string;
  /** Other ids the document gives for it (aliases, related vulnerabilities). */
  aliases?: string[];
  /** Package key: `name@version` (see packageKey). */
  pkg: string;
  pkgName: string;
  pkgVersion: string;
  purl?: string;
  fixedVersion?: string;
  /** As the document states it (Trivy's `Severity`, Grype's `severity`, CycloneDX: the first rating's). */
  severity: string;
  /** Where the chosen severity comes from (Trivy's `SeveritySource`, the CycloneDX rating's source). */
  severitySource?: string;
  ratings: ReportRating[];
  epss?: number;
  /** Known exploited (CISA KEV) as the document states it. */
  kev?: boolean;
  title?: string;
  /** Files of the package the report names (Trivy `PkgPath`, Grype `artifact.locations`). */
  paths: string[];
  /** JSON pointer of the entry in its document. */
  pointer: string;
}

export interface ReportPackage {
  key: string;
  name: string;
  version: string;
  purl?: string;
  /** Files the package owns (SBOM file relationships, locations, evidence occurrences). */
  files: string[];
}

/** A Kubernetes object a report is about (Trivy's Kubernetes report). */
export interface ReportResource {
  namespace?: string;
  kind: string;
  name: string;
}

export interface ImageReport {
  source: string;
  format: ReportFormat;
  /** JSON pointer of the part of the document describing this image ('' for a whole file). */
  pointer: string;
  image: ReportImage;
  vulnerabilities: ReportVulnerability[];
  packages: ReportPackage[];
  /** True when the document is an SBOM without vulnerability data (packages only). */
  sbomOnly: boolean;
  resources: ReportResource[];
  /** When the document says it was made (RFC 3339), if it does. */
  created?: string;
}

/** `name@version`: how packages of one image are joined across documents (purls differ in qualifiers). */
export function packageKey(name: string, version: string): string {
  return `${name}@${version}`;
}

/** The digest part of a reference or id (`…@sha256:abc`, `sha256:abc`, `docker-pullable://…@sha256:abc`), lowercased. */
/** The digest of an OCI package URL (`pkg:oci/name@sha256%3A...`), undefined when it holds none or its escapes are malformed. */
export function ociPurlDigest(purl: string): string | undefined {
  let version: string;
  try {
    version = decodeURIComponent(purl.replace(/\?.*$/, '').replace(/^pkg:oci\/[^@]*@/, ''));
  } catch {
    return undefined; // a malformed %-escape: no digest to read
  }
  return digestOf(version);
}

export function digestOf(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const m = /(?:^|@)(sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128})$/.exec(s.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}
