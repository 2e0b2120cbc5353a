/**
 * Vulnerabilities in context: reports merged per image, images matched to the workloads that
 * run them, and each vulnerability judged in use / not observed / unknown from runtime evidence.
 * A pure function of its inputs (the inventory, the reports, the evidence).
 *
 * Images: reports of one image are one entry. Two reports describe the same image when they
 * share a digest (a repository digest, the manifest digest of a platform, or the config digest);
 * reports that state no digest are joined by their normalised reference.
 *
 * Matching a container to an image, in order: `digest` (the reference in the pod spec pins a
 * digest the report knows), `imageID` (a live pod's `status.containerStatuses[].imageID` is one
 * of the report's digests: the image that actually runs), `tag` (the normalised references are
 * equal). When both sides know digests and none is shared, a tag match is not made: the report
 * describes another build of that tag than the one running.
 */
import type { Inventory } from '../inventory/inventory.js';
import { templateOwnersOf } from '../inventory/owners.js';
import { containersOf, podSpecOf } from '../inventory/podspec.js';
import type { InputProblem, Origin } from '../inventory/types.js';
import type { ImageReport, ReportRating } from '../sources/vulns/model.js';
import { digestOf } from '../sources/vulns/model.js';
import type { ContainerEvidence, ContainerSelector } from '../sources/runtime/model.js';
import { normalisedRef, parseImageRef, stripScheme, taggedName, type ImageName } from './image-ref.js';
import { compileEvidence, normalisePath, packageFilesOf, usedFiles, type CompiledEvidence, type Decision, type InUse, type PackageFiles } from './reachability.js';

export type MatchMethod = 'digest' | 'imageID' | 'tag' | 'report' | 'runtime';

/** One container of one workload and the image it runs. */
export interface ContainerUse {
  /** The workload's inventory id (`Deployment/shop/storefront`), or `Kind/ns/name` from a report or evidence. */
  workload: string;
  namespace?: string;
  kind: string;
  name: string;
  container: string;
  /** The image as the pod spec (or the report, or the evidence) writes it. */
  image: string;
  ref?: ImageName;
  /** Digests: pinned in the spec. */
  specDigests: Set<string>;
  /** Digests the runtime reports for running pods (status imageID). */
  statusDigests: Set<string>;
  /** Where the image field is (the object judged for the workload). */
  origin?: Origin;
  pointer?: string;
  from: 'inventory' | 'report' | 'runtime';
}

export interface ImageMatch {
  use: ContainerUse;
  method: MatchMethod;
}

/** The verdict for one container running the image. */
export interface ContainerVerdict {
  workload: string;
  container: string;
  verdict: InUse;
  tools: string[];
  complete: boolean;
  window?: { from?: string; to?: string };
  /** Why, in words (for "yes": the files, executed or opened). */
  reason: string;
}

export interface VulnEvidence {
  /** Files that decided "yes" (at most five), or nothing. */
  files: Decision[];
  /** Every container running the image, with what is known of it. */
  containers: ContainerVerdict[];
  /** Files of the package kordon knows (exact files and directories). */
  packageFiles: number;
  reason: string;
}

export interface VulnEntry {
  id: string;
  aliases: string[];
  package: string;
  version: string;
  purl?: string;
  fixedVersion?: string;
  severity: string;
  severitySource?: string;
  /** Severities other reports state for the same entry, when they differ. */
  otherSeverities: Array<{ source: string; severity: string }>;
  ratings: ReportRating[];
  epss?: number;
  kev?: boolean;
  title?: string;
  image: string;
  imageKey: string;
  workloads: string[];
  inUse: InUse;
  evidence: VulnEvidence;
  sources: Array<{ source: string; pointer: string }>;
}

export interface ImageEntry {
  key: string;
  image: string;
  reference?: string;
  digest?: string;
  digests: string[];
  configDigest?: string;
  workloads: string[];
  matches: Array<{ workload: string; container: string; method: MatchMethod; image: string }>;
  reports: Array<{ source: string; format: string }>;
  vulnerabilities: number;
  inUse: number;
  notObserved: number;
  unknown: number;
  /** Vulnerabilities left after the evidence: total minus not observed. */
  remaining: number;
  uses: ContainerUse[];
}

export interface VulnAnalysis {
  images: ImageEntry[];
  vulnerabilities: VulnEntry[];
  summary: { images: number; vulnerabilities: number; inUse: number; notObserved: number; unknown: number; remaining: number; workloadsWithFindings: number; evidenceRecords: number; evidenceUnmatched: number };
  problems: InputProblem[];
}

export interface AnalyseInput {
  inventory?: Inventory;
  reports: readonly ImageReport[];
  evidence?: readonly ContainerEvidence[];
  /** CVE ids known exploited (a KEV catalogue), with the catalogue's name for the evidence. */
  kev?: { ids: ReadonlySet<string>; source: string };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/* ---------------- containers ---------------- */

export function containerUses(inv: Inventory): ContainerUse[] {
  const owners = templateOwnersOf(inv);
  const byKey = new Map<string, ContainerUse>();
  for (const item of inv.objects) {
    const ps = podSpecOf(item.object);
    if (!ps) continue;
    const i = item.index ?? inv.objects.indexOf(item);
    const rep = owners.representative[i] ?? -1;
    const wl = rep >= 0 ? inv.objects[rep]! : item;
    const ns = inv.namespaceOf(wl.object);
    for (const c of containersOf(ps)) {
      const name = c.container.name;
      const image = c.container.image;
      if (typeof name !== 'string' || typeof image !== 'string' || !image) continue;
      const key = `${wl.id}|${name}`;
      let use = byKey.get(key);
      if (!use) {
        const ref = parseImageRef(image);
        use = { workload: wl.id, ...(ns ? { namespace: ns } : {}), kind: wl.object.kind, name: wl.object.metadata.name ?? '', container: name, image, ...(ref ? { ref } : {}), specDigests: new Set(ref?.digest ? [ref.digest] : []), statusDigests: new Set(), from: 'inventory' };
        byKey.set(key, use);
      }
      if (item === wl) {
        use.origin = item.origin;
        use.pointer = `${c.pointer}/image`;
      }
    }
    if (item.object.kind === 'Pod') {
      const status = item.object['status'] as Record<string, unknown> | undefined;
      for (const list of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
        const arr = status?.[list];
        if (!Array.isArray(arr)) continue;
        for (const st of arr as Array<Record<string, unknown>>) {
          if (!st || typeof st !== 'object' || typeof st['name'] !== 'string') continue;
          const use = byKey.get(`${wl.id}|${st['name']}`);
          if (!use) continue;
          const id = typeof st['imageID'] === 'string' ? stripScheme(st['imageID']) : '';
          const d = digestOf(id);
          if (d) use.statusDigests.add(d);
        }
      }
    }
  }
  return [...byKey.values()].sort((a, b) => cmp(a.workload, b.workload) || cmp(a.container, b.container));
}

/* ---------------- images ---------------- */

interface MergedImage {
  reports: ImageReport[];
  digests: Set<string>;
  configs: Set<string>;
  tagged: Set<string>;
  matches: ImageMatch[];
}

function mergeImages(reports: readonly ImageReport[]): MergedImage[] {
  const sorted = [...reports].sort((a, b) => cmp(a.source, b.source) || cmp(a.pointer, b.pointer) || cmp(a.image.reference ?? '', b.image.reference ?? ''));
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  sorted.forEach((r, i) => {
    const tokens = [...r.image.digests, ...(r.image.configDigest ? [r.image.configDigest] : [])];
    if (tokens.length === 0) {
      const n = r.image.reference ? parseImageRef(r.image.reference, { defaultTag: false }) : undefined;
      tokens.push(n ? `ref:${normalisedRef(n)}` : r.resources.length ? `res:${r.source}|${r.pointer}` : `file:${r.source}|${r.pointer}`);
    }
    for (const t of tokens) {
      const o = owner.get(t);
      if (o === undefined) owner.set(t, i);
      else parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, MergedImage>();
  sorted.forEach((r, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { reports: [], digests: new Set(), configs: new Set(), tagged: new Set(), matches: [] }));
    g.reports.push(r);
    for (const d of r.image.digests) g.digests.add(d);
    if (r.image.configDigest) g.configs.add(r.image.configDigest);
    for (const ref of [r.image.reference, ...r.image.tags]) {
      // a report's reference without a tag names no tag (not `latest`)
      const n = ref ? parseImageRef(ref, { defaultTag: false }) : undefined;
      const t = n && taggedName(n);
      if (t) g.tagged.add(t);
    }
  });
  return [...groups.values()];
}

/* ---------------- evidence → containers ---------------- */

/** Pod name patterns of controllers: Deployment (`name-<hash>-<5>`), ReplicaSet/DaemonSet/Job (`name-<5>`), StatefulSet (`name-<n>`), CronJob (`name-<n>-<5>`). */
function podBelongsTo(pod: string, kind: string, name: string): boolean {
  if (!pod.startsWith(`${name}-`)) return false;
  const rest = pod.slice(name.length + 1);
  switch (kind) {
    case 'Deployment':
      return /^[a-z0-9]{5,10}-[a-z0-9]{5}$/.test(rest);
    case 'StatefulSet':
      return /^\d+$/.test(rest);
    case 'CronJob':
      return /^\d+-[a-z0-9]{5}$/.test(rest);
    default:
      return /^[a-z0-9]{5}$/.test(rest);
  }
}

function resolveEvidence(ev: ContainerEvidence, byName: Map<string, ContainerUse[]>, byWorkload: Map<string, ContainerUse[]>, inv: Inventory | undefined): ContainerUse[] {
  const s: ContainerSelector = ev.selector;
  const named = (name: string): ContainerUse[] => (s.namespace !== undefined ? byName.get(`${s.namespace}|${name}`) ?? [] : [...byName.entries()].filter(([k]) => k.endsWith(`|${name}`)).flatMap(([, v]) => v));
  const pick = (cands: readonly ContainerUse[]): ContainerUse[] => cands.filter((u) => u.container === s.container);
  if (s.workload) {
    const hit = pick(named(s.workload).filter((u) => !s.workloadKind || u.kind.toLowerCase() === s.workloadKind.toLowerCase()));
    if (hit.length) return hit;
  }
  if (s.pod) {
    const pod = inv?.get('Pod', s.namespace ?? 'default', s.pod);
    if (pod) {
      const owners = templateOwnersOf(inv!);
      const rep = owners.representative[pod.index ?? -1] ?? -1;
      const wl = rep >= 0 ? inv!.objects[rep]! : pod;
      const hit = pick(byWorkload.get(wl.id) ?? []);
      if (hit.length) return hit;
    }
    // pods not in the inventory: a controller's generated name (the longest owner name that fits)
    const parts = s.pod.split('-');
    for (let n = parts.length - 1; n >= 1; n--) {
      const name = parts.slice(0, n).join('-');
      const hit = pick(named(name).filter((u) => u.kind !== 'Pod' && podBelongsTo(s.pod!, u.kind, u.name)));
      if (hit.length) return hit;
    }
  }
  return [];
}

/* ---------------- the analysis ---------------- */

const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, moderate: 2, low: 3, negligible: 4, info: 4, none: 5, unknown: 6, unstated: 7 };

export function analyseVulns(input: AnalyseInput): VulnAnalysis {
  const problems: InputProblem[] = [];
  const uses: ContainerUse[] = input.inventory ? containerUses(input.inventory) : [];
  const images = mergeImages(input.reports);

  // report-named workloads (Trivy's Kubernetes report) that the inventory does not hold
  const known = new Set<string>();
  const inventoryIds = new Set(uses.map((u) => u.workload));
  for (const img of images) {
    for (const r of img.reports) {
      for (const res of r.resources) {
        const id = `${res.kind}/${res.namespace ?? ''}/${res.name}`;
        if (inventoryIds.has(id)) continue;
        const k = `${id}|${r.image.reference ?? ''}`;
        if (known.has(k)) continue;
        known.add(k);
        const ref = r.image.reference ? parseImageRef(r.image.reference) : undefined;
        const use: ContainerUse = { workload: id, ...(res.namespace ? { namespace: res.namespace } : {}), kind: res.kind, name: res.name, container: '', image: r.image.reference ?? '', ...(ref ? { ref } : {}), specDigests: new Set(), statusDigests: new Set(), from: 'report' };
        img.matches.push({ use, method: 'report' });
      }
    }
  }

  // indexes for matching
  const byDigest = new Map<string, MergedImage>();
  const byTag = new Map<string, MergedImage[]>();
  for (const img of images) {
    for (const d of img.digests) byDigest.set(d, img);
    for (const d of img.configs) byDigest.set(d, img);
    for (const t of img.tagged) (byTag.get(t) ?? byTag.set(t, []).get(t)!).push(img);
  }
  const matchUse = (use: ContainerUse): void => {
    for (const d of use.specDigests) {
      const img = byDigest.get(d);
      if (img) return void img.matches.push({ use, method: 'digest' });
    }
    for (const d of use.statusDigests) {
      const img = byDigest.get(d);
      if (img) return void img.matches.push({ use, method: 'imageID' });
    }
    const t = use.ref && taggedName(use.ref);
    if (!t) return;
    const useHasDigest = use.specDigests.size > 0 || use.statusDigests.size > 0;
    for (const img of byTag.get(t) ?? []) {
      if (useHasDigest && (img.digests.size > 0 || img.configs.size > 0)) continue;
      img.matches.push({ use, method: 'tag' });
    }
  };
  for (const u of uses) matchUse(u);

  // evidence → containers
  const byWorkload = new Map<string, ContainerUse[]>();
  const byName = new Map<string, ContainerUse[]>();
  for (const u of uses) {
    (byWorkload.get(u.workload) ?? byWorkload.set(u.workload, []).get(u.workload)!).push(u);
    const k = `${u.namespace ?? ''}|${u.name}`;
    (byName.get(k) ?? byName.set(k, []).get(k)!).push(u);
  }
  const evidenceOf = new Map<ContainerUse, CompiledEvidence[]>();
  let unmatched = 0;
  const runtimeUses: ContainerUse[] = [];
  for (const ev of input.evidence ?? []) {
    let targets = resolveEvidence(ev, byName, byWorkload, input.inventory);
    if (targets.length === 0) {
      // evidence naming an image the reports know: a container of its own (no manifests given)
      const sel = ev.selector;
      const d = digestOf(stripScheme(sel.image ?? ''));
      const ref = sel.image ? parseImageRef(sel.image) : undefined;
      const img = (d && byDigest.get(d)) || (ref && taggedName(ref) ? byTag.get(taggedName(ref)!)?.[0] : undefined);
      if (img && sel.container) {
        const kind = sel.workloadKind ?? (sel.workload ? 'Workload' : 'Pod');
        const name = sel.workload ?? sel.pod ?? '';
        const id = `${kind}/${sel.namespace ?? ''}/${name}`;
        let use = runtimeUses.find((u) => u.workload === id && u.container === sel.container);
        if (!use) {
          use = { workload: id, ...(sel.namespace ? { namespace: sel.namespace } : {}), kind, name, container: sel.container, image: sel.image!, ...(ref ? { ref } : {}), specDigests: new Set(), statusDigests: new Set(d ? [d] : []), from: 'runtime' };
          runtimeUses.push(use);
          img.matches.push({ use, method: 'runtime' });
        }
        targets = [use];
      }
    }
    if (targets.length === 0) {
      unmatched++;
      problems.push({ source: ev.source, ...(ev.line ? { line: ev.line } : {}), code: 'not-found', severity: 'warning', message: `${ev.tool} evidence for ${describeSelector(ev.selector)} matches no container of the workloads read; not used` });
      continue;
    }
    const ce = compileEvidence(ev);
    for (const t of targets) (evidenceOf.get(t) ?? evidenceOf.set(t, []).get(t)!).push(ce);
  }

  // entries
  const texts = new Map<string, string>();
  const perImage = new Map<string, VulnEntry[]>();
  const imageEntries: ImageEntry[] = [];
  const vulnEntries: VulnEntry[] = [];
  for (const img of images) {
    const first = img.reports[0]!;
    // the first reference that names a tag (`ghcr.io/acme/api:2.1.0` over `ghcr.io/acme/api`), else the first one
    const refs = img.reports.map((r) => r.image.reference).filter((x): x is string => !!x);
    const reference = refs.find((x) => parseImageRef(x, { defaultTag: false })?.tag !== undefined) ?? refs[0];
    const digests = [...img.digests].sort();
    const config = [...img.configs].sort()[0];
    const key = digests[0] ?? config ?? (reference ? normalisedRef(parseImageRef(reference, { defaultTag: false }) ?? { registry: '', repository: reference }) : `${first.source}${first.pointer}`);
    const display = reference ?? key;
    const matches = img.matches.sort((a, b) => cmp(a.use.workload, b.use.workload) || cmp(a.use.container, b.use.container));
    const workloads = [...new Set(matches.map((m) => m.use.workload))].sort();
    // package files, from every document of the image
    const filesByPkg = new Map<string, Set<string>>();
    for (const r of img.reports) {
      for (const p of r.packages) {
        const set = filesByPkg.get(p.key) ?? filesByPkg.set(p.key, new Set()).get(p.key)!;
        for (const f of p.files) set.add(f);
      }
      for (const v of r.vulnerabilities) {
        const set = filesByPkg.get(v.pkg) ?? filesByPkg.set(v.pkg, new Set()).get(v.pkg)!;
        for (const f of v.paths) set.add(f);
      }
    }
    const compiledFiles = new Map<string, PackageFiles>();
    const filesOf = (pkg: string, name: string): PackageFiles => {
      let f = compiledFiles.get(pkg);
      if (!f) compiledFiles.set(pkg, (f = packageFilesOf(filesByPkg.get(pkg) ?? [], name)));
      return f;
    };
    // merged vulnerabilities
    const merged = new Map<string, VulnEntry>();
    for (const r of img.reports) {
      for (const v of r.vulnerabilities) {
        const k = `${v.id}\0${v.pkgName}\0${v.pkgVersion}`;
        let e = merged.get(k);
        if (!e) {
          e = {
            id: v.id,
            aliases: [],
            package: v.pkgName,
            version: v.pkgVersion,
            ...(v.purl ? { purl: v.purl } : {}),
            severity: v.severity,
            ...(v.severitySource ? { severitySource: v.severitySource } : {}),
            otherSeverities: [],
            ratings: [],
            image: display,
            imageKey: key,
            workloads,
            inUse: 'unknown',
            evidence: { files: [], containers: [], packageFiles: 0, reason: '' },
            sources: [],
          };
          merged.set(k, e);
        } else if (e.severity !== v.severity && !e.otherSeverities.some((o) => o.source === r.source && o.severity === v.severity)) e.otherSeverities.push({ source: r.source, severity: v.severity });
        e.sources.push({ source: r.source, pointer: v.pointer });
        if (!e.fixedVersion && v.fixedVersion) e.fixedVersion = v.fixedVersion;
        if (!e.title && v.title) e.title = v.title;
        for (const a of v.aliases ?? []) if (!e.aliases.includes(a)) e.aliases.push(a);
        for (const rt of v.ratings) if (!e.ratings.some((x) => JSON.stringify(x) === JSON.stringify(rt))) e.ratings.push(rt);
        if (v.epss !== undefined) e.epss = Math.max(e.epss ?? 0, v.epss);
        if (v.kev) e.kev = true;
      }
    }
    let yes = 0;
    let no = 0;
    let unknown = 0;
    const verdicts = new Map<string, { inUse: InUse; evidence: VulnEvidence }>();
    // most severe first (as stated: the word's rank), then by id, package and version
    const keyed = [...merged.values()].map((e) => ({ e, r: SEVERITY_ORDER[e.severity.toLowerCase()] ?? 8 }));
    keyed.sort((a, b) => a.r - b.r || cmp(a.e.id, b.e.id) || cmp(a.e.package, b.e.package) || cmp(a.e.version, b.e.version));
    const entries = keyed.map((k) => k.e);
    perImage.set(key, entries);
    for (const e of entries) {
      e.aliases.sort();
      if (input.kev && !e.kev && [e.id, ...e.aliases].some((id) => input.kev!.ids.has(id))) e.kev = true;
      // the verdict depends on the package and the containers, not on the vulnerability: judged
      // once per package of the image, the evidence shared by its vulnerabilities
      const pk = `${e.package}@${e.version}`;
      let verdict = verdicts.get(pk);
      if (!verdict) verdicts.set(pk, (verdict = judge(filesOf(pk, e.package), matches, evidenceOf, texts)));
      e.inUse = verdict.inUse;
      e.evidence = verdict.evidence;
      if (e.inUse === 'yes') yes++;
      else if (e.inUse === 'no') no++;
      else unknown++;
    }
    imageEntries.push({
      key,
      image: display,
      ...(reference ? { reference: normalisedRef(parseImageRef(reference, { defaultTag: false }) ?? { registry: '', repository: reference }) } : {}),
      ...(digests[0] ? { digest: digests[0] } : {}),
      digests,
      ...(config ? { configDigest: config } : {}),
      workloads,
      matches: matches.map((m) => ({ workload: m.use.workload, container: m.use.container, method: m.method, image: m.use.image })),
      reports: img.reports.map((r) => ({ source: r.source, format: r.format })).filter((x, i, a) => a.findIndex((y) => y.source === x.source) === i),
      vulnerabilities: entries.length,
      inUse: yes,
      notObserved: no,
      unknown,
      remaining: entries.length - no,
      uses: matches.map((m) => m.use),
    });
  }
  imageEntries.sort((a, b) => cmp(a.image, b.image) || cmp(a.key, b.key));
  for (const img of imageEntries) for (const e of perImage.get(img.key)!) vulnEntries.push(e);
  const total = vulnEntries.length;
  const inUse = vulnEntries.filter((v) => v.inUse === 'yes').length;
  const notObserved = vulnEntries.filter((v) => v.inUse === 'no').length;
  return {
    images: imageEntries,
    vulnerabilities: vulnEntries,
    summary: {
      images: imageEntries.length,
      vulnerabilities: total,
      inUse,
      notObserved,
      unknown: total - inUse - notObserved,
      remaining: total - notObserved,
      workloadsWithFindings: new Set(imageEntries.filter((i) => i.vulnerabilities > 0).flatMap((i) => i.workloads)).size,
      evidenceRecords: (input.evidence ?? []).length,
      evidenceUnmatched: unmatched,
    },
    problems,
  };
}

function describeSelector(s: ContainerSelector): string {
  const who = s.workload ? `${s.workloadKind ? `${s.workloadKind}/` : ''}${s.workload}` : s.pod ? `pod ${s.pod}` : s.image ?? '?';
  return `${s.namespace ? `${s.namespace}/` : ''}${who} container ${s.container ?? '?'}`;
}

/**
 * `FILE executed` / `PATTERN opened` (a pattern is named as the profile wrote it); a library
 * opened through its soname link says so (`…/libz.so.1.2.13 opened (as …/libz.so.1)`).
 */
function decisionText(d: Decision): string {
  const pattern = d.as !== undefined && (d.as.includes('*') || d.as.includes('\u22ef'));
  const link = !pattern && d.as !== undefined && normalisePath(d.as) !== d.file;
  return `${pattern ? d.as : d.file} ${d.observed === 'exec' ? 'executed' : 'opened'}${link ? ` (as ${d.as})` : ''}`;
}

/** The verdict of one package of an image from the evidence of every container that runs the image. */
function judge(files: PackageFiles, matches: readonly ImageMatch[], evidenceOf: Map<ContainerUse, CompiledEvidence[]>, texts: Map<string, string>): { inUse: InUse; evidence: VulnEvidence } {
  // the same words for many containers: one string each (a large cluster has millions of verdicts)
  const text = (t: string): string => texts.get(t) ?? (texts.set(t, t), t);
  const nFiles = files.exact.size + files.prefixes.length;
  const evidence: VulnEvidence = { files: [], containers: [], packageFiles: nFiles, reason: '' };
  const decided: Decision[] = [];
  let anyYes = false;
  let allNo = matches.length > 0;
  for (const m of matches) {
    const evs = evidenceOf.get(m.use) ?? NO_EVIDENCE;
    const facts = factsOf(m.use, evs);
    const complete = facts.complete;
    let verdict: InUse;
    let reason: string;
    const used = nFiles && evs.length ? usedFiles(files, evs) : NO_DECISIONS;
    if (used.length) {
      verdict = 'yes';
      reason = [...new Set(used.map(decisionText))].join(', ');
      for (const u of used) if (decided.length < 5 && !decided.some((d) => d.file === u.file && d.source === u.source)) decided.push(u);
    } else if (!evs.length) {
      verdict = 'unknown';
      reason = REASON_NO_EVIDENCE;
    } else if (!nFiles) {
      verdict = 'unknown';
      reason = REASON_NO_FILES;
    } else if (complete) {
      verdict = 'no';
      reason = text(`none of the package's ${nFiles} file(s) executed or opened; ${complete.ev.tool} evidence ${complete.ev.completeness}`);
    } else {
      verdict = 'unknown';
      reason = text(`none of the package's files seen, but the evidence is not complete (${evs[0]!.ev.completeness})`);
    }
    if (verdict === 'yes') anyYes = true;
    if (verdict !== 'no') allNo = false;
    evidence.containers.push(facts.window ? { workload: m.use.workload, container: m.use.container, verdict, tools: facts.tools, complete: !!complete, window: facts.window, reason } : { workload: m.use.workload, container: m.use.container, verdict, tools: facts.tools, complete: !!complete, reason });
  }
  const inUse: InUse = anyYes ? 'yes' : allNo ? 'no' : 'unknown';
  evidence.files = decided;
  evidence.reason = anyYes
    ? `in use: ${[...new Set(decided.map(decisionText))].join(', ')}`
    : allNo
      ? 'not observed: no container running the image touched the package\'s files in its complete evidence'
      : matches.length === 0
        ? 'no workload read runs this image'
        : (evidence.containers.find((c) => c.verdict === 'unknown')?.reason ?? 'no evidence');
  return { inUse, evidence };
}

const NO_EVIDENCE: CompiledEvidence[] = [];

/** What a container's evidence says whatever the package: the first complete record, the tools, the window (once per container). */
interface Facts {
  complete: CompiledEvidence | undefined;
  tools: string[];
  window: { from?: string; to?: string } | undefined;
}
const FACTS = new WeakMap<ContainerUse, Facts>();
function factsOf(use: ContainerUse, evs: readonly CompiledEvidence[]): Facts {
  let f = FACTS.get(use);
  if (!f) {
    const complete = evs.find((c) => c.ev.complete);
    f = { complete, tools: evs.length ? [...new Set(evs.map((c) => c.ev.tool))].sort() : NO_TOOLS, window: complete?.ev.window ?? evs.find((c) => c.ev.window)?.ev.window };
    FACTS.set(use, f);
  }
  return f;
}
const NO_DECISIONS: Decision[] = [];
const NO_TOOLS: string[] = [];
const REASON_NO_EVIDENCE = 'no runtime evidence for this container';
const REASON_NO_FILES = 'the files of the package are not known (give an SBOM with file ownership, such as Syft JSON)';
