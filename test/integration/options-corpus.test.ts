/**
 * The options users expect, run as a user would on a repository-shaped corpus
 * (test/corpus/options/repo: a team's .kordon.yaml at its root, manifests in several
 * namespaces and without one, a vendored directory, a legacy directory, Helm values files next
 * to a chart that uses helpers and .Release.Namespace), through the CLI, with the real helm.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../support/controlplane.js';
import { runCli } from '../support/cli.js';
import { ROOT } from '../unit/report-fixture.js';

const REPO = 'test/corpus/options/repo';
const CONFIG = `${REPO}/.kordon.yaml`;
const run = promisify(execFile);

interface JsonReport {
  sources: string[];
  problems: Array<{ message: string }>;
  summary: { objects: number; findings: number; suppressed: number; bySeverity: Record<string, number> };
  filters?: { namespaces?: string[]; minSeverity?: string };
  scores: { overall: number };
  findings: Array<{ controlId: string; severity: string; object?: { id: string; namespace?: string; kind: string }; suppressed?: { reason: string }; location?: { source: string } }>;
}

async function scan(args: string[]): Promise<{ code: number; report: JsonReport; err: string }> {
  const r = await runCli(['scan', ...args, '-f', 'json', '-q']);
  return { code: r.code, report: JSON.parse(r.out) as JsonReport, err: r.err };
}

before(() => {
  process.env['KORDON_HELM'] = binaryPath('helm');
});

test('corpus: the config file decides: severity, skipped controls, excluded paths, ignores, default namespace, Helm release, namespace, values and Kubernetes version, fail-on', async () => {
  const { code, report } = await scan(['--config', CONFIG, REPO]);
  assert.equal(code, 1, 'failOn: high, and there are high findings');
  assert.equal(report.problems.length, 0, `values files excluded, the chart rendered: ${JSON.stringify(report.problems)}`);
  assert.ok(report.sources.every((s) => !s.includes('vendor') && !s.includes('legacy')), report.sources.join(', '));
  assert.ok(!report.findings.some((f) => f.object?.id.includes('vendor-agent') || f.object?.id.includes('legacy')));
  assert.ok(!report.findings.some((f) => f.controlId === 'KOR-0100'), 'image-mutable-tag skipped');
  assert.ok(report.findings.every((f) => ['critical', 'high', 'medium'].includes(f.severity)), 'severity: medium');
  assert.deepEqual(report.filters, { minSeverity: 'medium' });
  const suppressed = report.findings.filter((f) => f.suppressed);
  assert.deepEqual(suppressed.map((f) => [f.controlId, f.object?.id, f.suppressed?.reason]), [['KOR-0014', 'Deployment/payments/ledger', "the ledger's JVM agent needs setuid until the 2.0 migration"]]);
  // the chart: rendered as release "shop" into namespace payments, with values-prod.yaml (privileged)
  const chart = report.findings.filter((f) => f.location?.source.startsWith(`${REPO}/charts/web/templates/`));
  assert.ok(chart.length > 0);
  assert.ok(chart.every((f) => f.object?.id === 'Deployment/payments/shop-web'), JSON.stringify(chart.map((f) => f.object?.id)));
  assert.ok(chart.some((f) => f.controlId === 'KOR-0003'), 'privileged from values-prod.yaml');
  assert.ok(report.scores.overall <= 40, 'critical findings cap the score');
  // the chart requires Kubernetes >= 1.30 (helm's own default is older): rendered for helm.kubeVersion
  // (no problems at all, asserted above)
  assert.ok(report.findings.some((f) => f.object?.id === 'Deployment/frontend/web'), 'defaultNamespace');
  assert.ok(!report.findings.some((f) => f.object?.namespace === 'default'));
});

test('corpus: flags override the config file; list options add to it', async () => {
  // --severity over severity; --fail-on over failOn
  const high = await scan(['--config', CONFIG, REPO, '--severity', 'high', '--fail-on', 'critical']);
  assert.equal(high.code, 1);
  assert.ok(high.report.findings.length > 0 && high.report.findings.every((f) => f.severity === 'critical' || f.severity === 'high'));
  const critical = await scan(['--config', CONFIG, REPO, '--severity', 'critical']);
  const criticalIds = [...new Set(critical.report.findings.map((f) => f.controlId))];
  assert.ok(criticalIds.length > 0 && critical.report.findings.every((f) => f.severity === 'critical'));
  const none = await scan(['--config', CONFIG, REPO, '--severity', 'critical', '--skip-controls', criticalIds.join(','), '--fail-on', 'high']);
  assert.equal(none.code, 0, 'nothing left at or above high');
  assert.equal(none.report.summary.findings, 0);
  assert.equal(none.report.scores.overall, 100);
  // --exclude adds to exclude: the chart goes too
  const noChart = await scan(['--config', CONFIG, REPO, '--exclude', 'charts']);
  assert.ok(!noChart.report.findings.some((f) => f.location?.source.includes('charts/')));
  // --controls replaces controls.enable; the config's skip still applies
  const only = await scan(['--config', CONFIG, REPO, '--controls', 'KOR-0003', '--controls', 'image-mutable-tag,cluster-admin-binding']);
  assert.deepEqual([...new Set(only.report.findings.map((f) => f.controlId))].sort(), ['KOR-0003', 'KOR-0141']);
  // --no-config: everything is read and reported (the values file is then not Kubernetes YAML)
  const bare = await scan(['--no-config', REPO]);
  assert.ok(bare.report.findings.some((f) => f.object?.id.includes('vendor-agent')));
  assert.ok(bare.report.findings.some((f) => f.controlId === 'KOR-0100'));
  assert.ok(bare.report.findings.some((f) => f.severity === 'low'));
  assert.equal(bare.report.filters, undefined);
});

test('corpus: scan -n NS on files judges NS and the cluster-scoped objects that concern it, and says so', async () => {
  const { report } = await scan(['--config', CONFIG, REPO, '-n', 'payments']);
  const ids = [...new Set(report.findings.map((f) => f.object?.id ?? '(cluster)'))].sort();
  assert.deepEqual(ids, ['ClusterRoleBinding//ledger-admin', 'Deployment/payments/ledger', 'Deployment/payments/shop-web', 'Namespace//payments']);
  assert.deepEqual(report.filters, { namespaces: ['payments'], minSeverity: 'medium' });
  assert.equal(report.summary.objects, 5, 'Namespace, ledger, its ServiceAccount, shop-web, the binding of a payments service account');
  // a namespace-less manifest is in the config's defaultNamespace
  const front = await scan(['--config', CONFIG, REPO, '-n', 'frontend']);
  assert.ok(front.report.findings.some((f) => f.object?.id === 'Deployment/frontend/web'));
  assert.ok(front.report.findings.some((f) => f.object?.id === 'ClusterRoleBinding//web-admin'));
  assert.ok(!front.report.findings.some((f) => f.object?.namespace === 'payments' || f.object?.id === 'ClusterRoleBinding//ledger-admin'));
  // without the config it is in `default`, where nothing else is
  const def = await scan(['--no-config', REPO, '-n', 'default', '--exclude', 'charts']);
  assert.deepEqual([...new Set(def.report.findings.map((f) => f.object?.id))].sort(), ['Deployment/default/web']);
  // the pretty report says what it was limited to
  const pretty = await runCli(['scan', '--config', CONFIG, REPO, '-n', 'payments', '-n', 'frontend', '-q']);
  assert.match(pretty.out, /limited to: namespaces frontend, payments and the cluster-scoped objects that concern them; findings at or above medium/);
});

test('corpus: the config file is found upward from the working directory (the real binary, run inside the corpus)', async () => {
  const r = await run(path.join(ROOT, 'bin/kordon'), ['scan', '.', '-f', 'json'], { cwd: path.join(ROOT, REPO, 'deploy'), env: { ...process.env, NO_COLOR: '1' } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
  assert.equal((r as { code?: number }).code, 1, (r as { stderr: string }).stderr);
  const report = JSON.parse((r as { stdout: string }).stdout) as JsonReport;
  assert.deepEqual(report.filters, { minSeverity: 'medium' }, 'the corpus .kordon.yaml one directory up applied');
  assert.match((r as { stderr: string }).stderr, /^kordon: using config file \.\.\/\.kordon\.yaml\n/, 'a discovered config file is named');
  assert.ok(!report.sources.some((s) => s.includes('legacy')), 'its deploy/legacy/** exclude is relative to the config file, not the working directory');
});

test('corpus: a broken config file stops the scan with exit 2 and every problem, before anything is read', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-cfg-'));
  try {
    const file = path.join(tmp, 'bad.yaml');
    writeFileSync(file, 'severity: hgh\ncontrols:\n  skip: [no-such-control]\nexclude: [vendor]\nignores:\n  - controls: [KOR-0003]\n');
    const r = await runCli(['scan', '--config', file, REPO]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /bad\.yaml:1:11: severity: Invalid option/);
    assert.match(r.err, /bad\.yaml:6:5: ignores\.0\.reason: is required/);
    // a valid file naming an unknown control: the selection problem, exit 2
    writeFileSync(file, 'controls:\n  skip: [no-such-control]\n');
    const sel = await runCli(['scan', '--config', file, REPO]);
    assert.equal(sel.code, 2);
    assert.match(sel.err, /skipped control "no-such-control" matches no control/);
    const flag = await runCli(['scan', '--no-config', REPO, '--controls', 'KOR-99*']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /control "KOR-99\*" matches no control/);
    const sev = await runCli(['scan', '--no-config', REPO, '--severity', 'urgent']);
    assert.equal(sev.code, 2);
    assert.match(sev.err, /unknown severity "urgent"/);
    const grp = await runCli(['scan', '--no-config', REPO, '--group-by', 'team']);
    assert.equal(grp.code, 2);
    assert.match(grp.err, /unknown --group-by "team"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('corpus at scale: 1,000 objects in 20 files, half excluded by glob; the markdown comment fits and counts what it left out', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-scale-'));
  try {
    for (let team = 0; team < 10; team++) {
      for (const dir of ['apps', 'generated']) {
        const docs: string[] = [];
        for (let i = 0; i < 50; i++) {
          docs.push(
            [
              'apiVersion: apps/v1',
              'kind: Deployment',
              'metadata:',
              `  name: ${dir}-${i}`,
              `  namespace: team-${team}`,
              'spec:',
              `  selector: {matchLabels: {app: ${dir}-${i}}}`,
              '  template:',
              `    metadata: {labels: {app: ${dir}-${i}}}`,
              '    spec:',
              '      containers:',
              `        - name: app`,
              `          image: registry.example.com/team-${team}/${dir}-${i}:latest`,
              ...(i % 10 === 0 ? ['          securityContext: {privileged: true}'] : []),
            ].join('\n'),
          );
        }
        const folder = path.join(tmp, `team-${team}`, dir);
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'deployments.yaml'), docs.join('\n---\n') + '\n');
      }
    }
    const half = await scan(['--no-config', tmp, '--exclude', 'generated']);
    assert.equal(half.report.summary.objects, 500);
    assert.ok(half.report.sources.every((s) => !s.includes('generated')));
    const one = await scan(['--no-config', tmp, '--exclude', 'generated', '-n', 'team-3']);
    assert.equal(one.report.summary.objects, 50);
    assert.equal(one.report.findings.filter((f) => f.controlId === 'KOR-0003').length, 5);
    const md = await runCli(['scan', '--no-config', tmp, '--exclude', '**/generated', '-f', 'markdown', '--full-report', 'kordon.sarif']);
    assert.ok(md.out.length <= 65_536, `${md.out.length} characters`);
    const rows = md.out.split('\n').filter((l) => /^\| KOR-\d{4} \|/.test(l)).length;
    const left = /Not listed here: (\d+) more findings\*\* \(a pull-request comment holds 65,536 characters\); the full report: kordon\.sarif\._/.exec(md.out);
    assert.ok(left, md.out.slice(-400));
    assert.equal(rows + Number(left[1]), half.report.summary.findings);
    // the worst first: the 50 privileged containers (critical) are all listed before anything else
    assert.match(md.out, /#### Critical \(50\)/);
    assert.equal(md.out.split('\n').filter((l) => l.startsWith('| KOR-0003 |')).length, 50);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
