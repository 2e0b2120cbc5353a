/**
 * Image vulnerabilities at scale: ingest + match + reachability.
 *
 *   node --import tsx bench/vulns.ts [--images 500] [--vulns 300] [--workloads 10000] [--out bench/out/vulns]
 *
 * Writes a deterministic input set (once; reused when present): one Trivy JSON report per image
 * (`--vulns` vulnerabilities over 100 packages, each package with InstalledFiles, every third
 * report as Grype JSON of the same image digest so repeats are merged), one YAML stream of
 * `--workloads` Deployments spread over the images (half pinned by digest, half by tag), and one
 * kordon RuntimeEvidence document with a complete profile for every workload (each opens the
 * libraries of a tenth of its packages). Then, in one process, measures reading the reports, the
 * manifests and the evidence, and the analysis (merge, match, reachability), and prints wall
 * times and the peak RSS (`process.resourceUsage().maxRSS`) as JSON.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { loadInventory } from '../src/scan.js';
import { readVulnInputs } from '../src/sources/vulns/read.js';
import { readRuntimeInputs } from '../src/sources/runtime/read.js';
import { analyseVulns } from '../src/vulns/analyse.js';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const IMAGES = Number(arg('images', '500'));
const VULNS = Number(arg('vulns', '300'));
const WORKLOADS = Number(arg('workloads', '10000'));
const OUT = arg('out', `bench/out/vulns-${IMAGES}x${VULNS}-${WORKLOADS}`);
const PACKAGES = 100;

const digest = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const SEV = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

function generate(): void {
  mkdirSync(path.join(OUT, 'reports'), { recursive: true });
  for (let i = 0; i < IMAGES; i++) {
    const ref = `registry.example.com/team${i % 20}/app${i}:1.${i}`;
    const pkgs = Array.from({ length: PACKAGES }, (_, p) => ({ name: `lib${p}-img${i % 7}`, version: `${p}.${i % 5}.0` }));
    const vulns = Array.from({ length: VULNS }, (_, v) => {
      const p = pkgs[v % PACKAGES]!;
      return { id: `CVE-2026-${String(100000 + ((i * 7919 + v * 104729) % 900000)).padStart(6, '0')}-${v}`, p, fix: v % 3 ? `${p.version}-fix` : undefined, sev: SEV[(i + v) % 4]! };
    });
    if (i % 3 === 2) {
      const grype = {
        matches: vulns.map((v) => ({ vulnerability: { id: v.id, severity: v.sev[0] + v.sev.slice(1).toLowerCase(), fix: { versions: v.fix ? [v.fix] : [], state: v.fix ? 'fixed' : 'not-fixed' } }, artifact: { name: v.p.name, version: v.p.version, type: 'deb', locations: [{ path: `/usr/lib/x86_64-linux-gnu/${v.p.name}.so.1` }] } })),
        source: { type: 'image', target: { userInput: ref, imageID: digest(`config-${i}`), manifestDigest: digest(`image-${i}`), repoDigests: [`${ref.split(':')[0]}@${digest(`image-${i}`)}`], tags: [ref] } },
        descriptor: { name: 'grype', version: '0.86.1', timestamp: '2026-12-01T00:00:00Z' },
      };
      writeFileSync(path.join(OUT, 'reports', `grype-${i}.json`), JSON.stringify(grype));
    }
    const trivy = {
      SchemaVersion: 2,
      ArtifactName: ref,
      Metadata: { ImageID: digest(`config-${i}`), RepoTags: [ref], RepoDigests: [`${ref.split(':')[0]}@${digest(`image-${i}`)}`] },
      Results: [
        {
          Target: `${ref} (debian 12.5)`,
          Class: 'os-pkgs',
          Type: 'debian',
          Packages: pkgs.map((p) => ({ Name: p.name, Version: p.version, InstalledFiles: [`/usr/lib/x86_64-linux-gnu/${p.name}.so.1`, `/usr/share/doc/${p.name}/copyright`] })),
          Vulnerabilities: vulns.map((v) => ({ VulnerabilityID: v.id, PkgName: v.p.name, InstalledVersion: v.p.version, ...(v.fix ? { FixedVersion: v.fix } : {}), Severity: v.sev, SeveritySource: 'nvd' })),
        },
      ],
    };
    writeFileSync(path.join(OUT, 'reports', `trivy-${i}.json`), JSON.stringify(trivy));
  }
  const docs: string[] = [];
  const evidence: string[] = ['apiVersion: kordon.dev/v1alpha1', 'kind: RuntimeEvidence', 'containers:'];
  for (let w = 0; w < WORKLOADS; w++) {
    const i = w % IMAGES;
    const ref = `registry.example.com/team${i % 20}/app${i}:1.${i}`;
    const image = w % 2 ? `${ref.split(':')[0]}@${digest(`image-${i}`)}` : ref;
    const ns = `ns${w % 100}`;
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${w}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: { app: app${w} }\n  template:\n    metadata:\n      labels: { app: app${w} }\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`);
    const opened = Array.from({ length: PACKAGES / 10 }, (_, k) => `/lib/x86_64-linux-gnu/lib${(k * 10 + (w % 10)) % PACKAGES}-img${i % 7}.so.1`);
    evidence.push(`  - namespace: ${ns}\n    workload: Deployment/app${w}\n    container: app\n    window: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }\n    complete: true\n    executed: [/usr/bin/app]\n    opened: [${opened.join(', ')}]`);
  }
  writeFileSync(path.join(OUT, 'workloads.yaml'), docs.join('---\n'));
  writeFileSync(path.join(OUT, 'evidence.yaml'), evidence.join('\n') + '\n');
}

if (!existsSync(path.join(OUT, 'evidence.yaml'))) {
  const t = performance.now();
  generate();
  console.error(`generated ${OUT} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = process.cpuUsage();
const k0 = cpu();
const t0 = performance.now();
const vin = await readVulnInputs([path.join(OUT, 'reports')]);
const t1 = performance.now();
const k1 = cpu();
const { inventory } = await loadInventory([path.join(OUT, 'workloads.yaml')]);
const t2 = performance.now();
const k2 = cpu();
const rin = await readRuntimeInputs([path.join(OUT, 'evidence.yaml')]);
const t3 = performance.now();
const k3 = cpu();
const a = analyseVulns({ inventory, reports: vin.reports, evidence: rin.evidence });
const t4 = performance.now();
const k4 = cpu();
const s = (ms: number): number => Math.round(ms) / 1000;
console.log(
  JSON.stringify(
    {
      images: IMAGES,
      vulnsPerImage: VULNS,
      workloads: WORKLOADS,
      reportFiles: vin.files.length,
      problems: vin.problems.length + rin.problems.length + a.problems.length,
      seconds: { readReports: s(t1 - t0), readManifests: s(t2 - t1), readEvidence: s(t3 - t2), analyse: s(t4 - t3), total: s(t4 - t0) },
      cpuSeconds: { readReports: s(k1 - k0), readManifests: s(k2 - k1), readEvidence: s(k3 - k2), analyse: s(k4 - k3), total: s((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000) },
      loadAverage: (await import('node:os')).loadavg()[0],
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      summary: a.summary,
      matchMethods: Object.fromEntries(['digest', 'imageID', 'tag'].map((m) => [m, a.images.reduce((n, i) => n + i.matches.filter((x) => x.method === m).length, 0)])),
    },
    null,
    2,
  ),
);
