// Writes the "100 CVEs → a known number" fixture (run: node generate.mjs; the outputs are committed).
// 50 packages with 2 CVEs each in one image. Packages p00–p44 own files (Syft SBOM: files and
// `contains` relationships); p45–p49 own none the SBOM lists. The complete evidence opens the
// libraries of p00–p09. Expected: 100 → 30 remaining (20 in use, 10 unknown, 70 not observed).
import { writeFileSync } from 'node:fs';

const digest = 'sha256:' + 'ab12'.repeat(16);
const config = 'sha256:' + 'cd34'.repeat(16);
const sev = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const pkgs = Array.from({ length: 50 }, (_, i) => ({ name: `libp${String(i).padStart(2, '0')}`, version: `1.${i}.0-1` }));
const vulns = pkgs.flatMap((p, i) => [0, 1].map((j) => ({
  VulnerabilityID: `CVE-2026-${String(10000 + i * 2 + j)}`,
  PkgName: p.name,
  InstalledVersion: p.version,
  ...(j === 0 ? { FixedVersion: `1.${i}.1-1` } : {}),
  Severity: sev[(i * 2 + j) % 4],
  SeveritySource: 'nvd',
})));
writeFileSync('trivy.json', JSON.stringify({ SchemaVersion: 2, CreatedAt: '2026-12-01T00:00:00Z', ArtifactName: 'registry.example.com/hundred/app:1.0', ArtifactType: 'container_image', Metadata: { ImageID: config, RepoTags: ['registry.example.com/hundred/app:1.0'], RepoDigests: [`registry.example.com/hundred/app@${digest}`] }, Results: [{ Target: 'registry.example.com/hundred/app:1.0 (debian 12.5)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: vulns }] }, null, 2) + '\n');
const artifacts = pkgs.map((p, i) => ({ id: `pkg-${i}`, name: p.name, version: p.version, type: 'deb', locations: [{ path: '/var/lib/dpkg/status' }], purl: `pkg:deb/debian/${p.name}@${p.version}?arch=amd64` }));
const files = [];
const rels = [];
pkgs.forEach((p, i) => {
  if (i >= 45) return;
  for (const [k, path] of [[0, `/usr/lib/x86_64-linux-gnu/${p.name}.so.1`], [1, `/usr/share/doc/${p.name}/copyright`]]) {
    files.push({ id: `file-${i}-${k}`, location: { path } });
    rels.push({ parent: `pkg-${i}`, child: `file-${i}-${k}`, type: 'contains' });
  }
});
writeFileSync('syft.json', JSON.stringify({ artifacts, artifactRelationships: rels, files, source: { type: 'image', name: 'registry.example.com/hundred/app', version: '1.0', metadata: { userInput: 'registry.example.com/hundred/app:1.0', imageID: config, manifestDigest: digest, tags: ['registry.example.com/hundred/app:1.0'], repoDigests: [] } }, descriptor: { name: 'syft', version: '1.18.1' }, schema: { version: '16.0.21' } }, null, 2) + '\n');
const opened = pkgs.slice(0, 10).map((p) => `/lib/x86_64-linux-gnu/${p.name}.so.1`);
const evidence = (complete, window) => `apiVersion: kordon.dev/v1alpha1
kind: RuntimeEvidence
containers:
  - namespace: hundred
    workload: Deployment/app
    container: app
${window ? '    window: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }\n' : ''}    complete: ${complete}
    executed: [/usr/bin/app]
    opened:
${[...opened, '/etc/hosts', '/etc/resolv.conf'].map((o) => `      - ${o}`).join('\n')}
`;
writeFileSync('evidence-complete.yaml', evidence(true, true));
writeFileSync('evidence-incomplete.yaml', evidence(false, true));
writeFileSync('evidence-no-window.yaml', evidence(true, false));
writeFileSync('app.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: hundred
spec:
  selector:
    matchLabels: { app: app }
  template:
    metadata:
      labels: { app: app }
    spec:
      containers:
        - name: app
          image: registry.example.com/hundred/app:1.0@${digest}
`);
