/**
 * One root cause, one finding (src/engine/dedupe.ts, src/inventory/owners.ts): supersession,
 * exceptions, scores, repeats, template owners, and the formats' notes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { scanInventory } from '../../src/scan.js';
import { allControls } from '../../src/controls/index.js';
import { supersessionTable } from '../../src/engine/dedupe.js';
import { defineControl, type Control, type Finding } from '../../src/engine/types.js';
import { templateOwnersOf } from '../../src/inventory/owners.js';
import { formatPretty } from '../../src/report/pretty.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatJson } from '../../src/report/json.js';
import { buildPlan } from '../../src/plan/plan.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const inv = (yaml: string) => {
  const r = parseManifestText('in.yaml', yaml);
  assert.deepEqual(r.problems, []);
  return new Inventory(r.objects, r.problems);
};
const scan = (yaml: string, opts: Parameters<typeof scanInventory>[2] = {}) => scanInventory(inv(yaml), ['in.yaml'], { now: NOW, ...opts });
const ids = (fs: Finding[]) => fs.map((f) => f.controlId);

/** One container adding SYS_ADMIN: KOR-0126 (critical) > KOR-0004 (high) > KOR-0018 (medium) on one field. */
const capPod = (annotations = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: app
${annotations}spec:
  containers:
  - name: c
    image: registry.example.com/app@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
    securityContext:
      capabilities:
        add: [SYS_ADMIN]
`;
const onAdd = (fs: Finding[]) => fs.filter((f) => f.pointer === '/spec/containers/0/securityContext/capabilities/add/0');

describe('supersession: the catalogue', () => {
  it('names only controls that exist, none itself, without cycles; field scope for workloads, object scope for bindings', () => {
    const byId = new Map(allControls.map((c) => [c.id, c]));
    for (const c of allControls) {
      for (const [scope, list] of Object.entries(c.supersedes ?? {})) {
        for (const id of list as string[]) {
          assert.ok(byId.has(id), `${c.id} supersedes unknown ${id}`);
          assert.notEqual(id, c.id);
          // object scope only between controls that judge bindings as a whole
          if (scope === 'object') assert.ok(c.targets !== 'container' && c.targets !== 'podSpec' && byId.get(id)!.layer === 'cluster', `${c.id} > ${id}`);
        }
      }
    }
    const t = supersessionTable(allControls);
    assert.ok(t.by.size >= 30);
    // each declaration is already closed (A over B over C declares C too), so that any subset of
    // the controls (--controls, --skip-controls, presets) folds the same way without the middle one
    for (const [below, aboves] of t.by) {
      for (const [above, scope] of aboves) assert.ok(byId.get(above)!.supersedes?.[scope]?.includes(below), `${above} should declare ${below} (${scope})`);
    }
    const subset = allControls.filter((c) => c.id !== 'KOR-0005');
    assert.equal(supersessionTable(subset).by.get('KOR-0013')!.get('KOR-0122'), 'field');
    // transitive: the runtime socket stands for the PSS volume checks through the hostPath check
    assert.equal(t.by.get('KOR-0013')!.get('KOR-0122'), 'field');
    assert.equal(t.by.get('KOR-0210')!.get('KOR-0200'), 'object');
  });

  it('a cycle of declarations is refused', () => {
    const mk = (id: string, over: string): Control =>
      defineControl({ id, name: id, title: id, description: 'd', layer: 'container', phases: ['develop'], severity: 'low', effort: 'low', frameworks: {}, remediation: 'r.', messages: { m: 'm' }, targets: 'object', kinds: ['Pod'], supersedes: { field: [over] }, check() {} });
    assert.throws(() => supersessionTable([mk('KOR-9001', 'KOR-9002'), mk('KOR-9002', 'KOR-9001')]), /supersession cycle/);
  });
});

describe('supersession: findings', () => {
  it('one capability is one finding: the most specific, listing the others with their severities', () => {
    const r = scan(capPod());
    assert.deepEqual(ids(onAdd(r.findings)), ['KOR-0126']);
    const raw = onAdd(scan(capPod(), { dedupe: false }).findings);
    const sev = (id: string) => raw.find((f) => f.controlId === id)!.severity;
    assert.deepEqual(onAdd(r.findings)[0]!.related, [
      { controlId: 'KOR-0004', title: 'Container adds a capability outside the default set', severity: sev('KOR-0004') },
      { controlId: 'KOR-0018', title: 'Capabilities not dropped', severity: sev('KOR-0018') },
    ]);
    assert.equal(onAdd(r.findings)[0]!.severity, sev('KOR-0126'));
    // another root cause on the same container (ALL not dropped) is still its own finding
    assert.ok(r.findings.some((f) => f.controlId === 'KOR-0018' && f.pointer.endsWith('/capabilities/drop')));
    // without de-duplication, all three are there
    assert.deepEqual(ids(onAdd(scan(capPod(), { dedupe: false }).findings)).sort(), ['KOR-0004', 'KOR-0018', 'KOR-0126']);
  });

  it('on one field the specific control wins at its own severity; on one binding the most severe grant wins', () => {
    const mk = (id: string, severity: 'low' | 'high', pointer: string, supersedes?: { field?: string[]; object?: string[] }) =>
      defineControl({ id, name: id.toLowerCase(), title: `T ${id}`, description: 'd', layer: 'container', phases: ['develop'], severity, effort: 'low', frameworks: {}, remediation: 'r.', messages: { m: `m ${id}` }, targets: 'object', kinds: ['Pod'], ...(supersedes ? { supersedes } : {}), check(_o, ctx) { ctx.report('m', {}, pointer); } });
    const field = scan(capPod(), { controls: [mk('KOR-9101', 'low', '/spec', { field: ['KOR-9102'] }), mk('KOR-9102', 'high', '/spec/containers/0')] });
    assert.deepEqual(field.findings.map((f) => [f.controlId, f.severity, f.related]), [['KOR-9101', 'low', [{ controlId: 'KOR-9102', title: 'T KOR-9102', severity: 'high' }]]]);
    const binding = scan(capPod(), { controls: [mk('KOR-9103', 'low', '/metadata', { object: ['KOR-9104', 'KOR-9105'] }), mk('KOR-9104', 'high', '/spec'), mk('KOR-9105', 'low', '/kind')] });
    assert.deepEqual(binding.findings.map((f) => [f.controlId, f.severity, f.related?.map((x) => x.controlId)]), [['KOR-9104', 'high', ['KOR-9103', 'KOR-9105']]]);
    // the plan's action is as severe as its worst finding
    assert.equal(buildPlan(binding).phases.flatMap((p) => p.actions)[0]!.severity, 'high');
  });

  it('an excepted winner does not hide findings no exception names; they stand on their own', () => {
    const r = scan(capPod('  annotations:\n    kordon.dev/ignore: KOR-0126\n    kordon.dev/ignore-reason: accepted\n'));
    const add = onAdd(r.findings);
    assert.deepEqual(add.map((f) => [f.controlId, !!f.suppressed]).sort(), [['KOR-0004', false], ['KOR-0126', true]]);
    assert.deepEqual(add.find((f) => f.controlId === 'KOR-0004')!.related!.map((x) => x.controlId), ['KOR-0018']);
    assert.equal(add.find((f) => f.controlId === 'KOR-0126')!.related, undefined);
  });

  it('excepted together, the family is one suppressed finding', () => {
    const r = scan(capPod('  annotations:\n    kordon.dev/ignore: KOR-0126,KOR-0004,KOR-0018\n    kordon.dev/ignore-reason: node tool\n'));
    const add = onAdd(r.findings);
    assert.deepEqual(add.map((f) => [f.controlId, !!f.suppressed]), [['KOR-0126', true]]);
    assert.deepEqual(add[0]!.related!.map((x) => x.controlId), ['KOR-0004', 'KOR-0018']);
  });

  it('an unexcepted winner does not absorb an excepted finding: it stays listed as suppressed', () => {
    const r = scan(capPod(), { exceptions: [{ source: 'exceptions.yaml', rule: { controls: ['KOR-0018'], match: { kind: 'Pod' }, reason: 'reviewed' } }] });
    const add = onAdd(r.findings);
    assert.deepEqual(add.map((f) => [f.controlId, !!f.suppressed]).sort(), [['KOR-0018', true], ['KOR-0126', false]]);
    assert.deepEqual(add.find((f) => f.controlId === 'KOR-0126')!.related!.map((x) => x.controlId), ['KOR-0004']);
    assert.deepEqual(r.exceptions.unused, []);
  });

  it('scores count a superseded finding as a failure of its own control', () => {
    const on = scan(capPod());
    const off = scan(capPod(), { dedupe: false });
    assert.deepEqual(on.evaluations, off.evaluations);
    assert.deepEqual(on.scores, off.scores);
    assert.equal(on.evaluations.find((e) => e.controlId === 'KOR-0004')!.failed, 1);
  });

  it('a volume mount is judged as its volume: one hostPath, one finding', () => {
    const yaml = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - name: a
        image: registry.example.com/agent:1.0
        volumeMounts: [{name: data, mountPath: /data}]
      - name: b
        image: registry.example.com/agent-sidecar:1.0
        volumeMounts: [{name: data, mountPath: /shared}]
      volumes:
      - name: data
        hostPath: {path: /var/lib/agent-data}
`;
    const r = scan(yaml);
    const vol = r.findings.filter((f) => /\/volumes\/0|\/volumeMounts\//.test(f.pointer));
    assert.deepEqual(ids(vol), ['KOR-0005']);
    assert.deepEqual(vol[0]!.related!.map((x) => x.controlId), ['KOR-0013', 'KOR-0121']);
    assert.equal(scan(yaml, { dedupe: false }).findings.filter((f) => f.controlId === 'KOR-0121').length, 2);
  });
});

describe('reached twice, reported once', () => {
  it('the same finding from two routes is reported once; two different ones at one field both stay', () => {
    const twice = defineControl({ id: 'KOR-9201', name: 'twice', title: 'Twice', description: 'd', layer: 'cluster', phases: ['develop'], severity: 'low', effort: 'low', frameworks: {}, remediation: 'r.', messages: { m: 'same', n: 'other' }, targets: 'object', kinds: ['Pod'],
      check(_o, ctx) {
        ctx.report('m', {}, '/metadata');
        ctx.report('m', {}, '/metadata');
        ctx.report('n', {}, '/metadata');
      } });
    const r = scan(capPod(), { controls: [twice] });
    assert.deepEqual(r.findings.map((f) => f.message), ['other', 'same']);
    assert.equal(r.evaluations[0]!.failed, 1);
  });
});

describe('template owners', () => {
  const deployment = (sc: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app, uid: d-1}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0
        imagePullPolicy: IfNotPresent
        securityContext: ${sc}
`;
  const rs = `---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-5d9f, namespace: app, uid: rs-1, labels: {app: web, pod-template-hash: 5d9f}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]}
spec:
  selector: {matchLabels: {app: web, pod-template-hash: 5d9f}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 5d9f}}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0
        imagePullPolicy: IfNotPresent
        terminationMessagePath: /dev/termination-log
        securityContext: {privileged: true}
      restartPolicy: Always
      dnsPolicy: ClusterFirst
`;
  const pod = (name: string, sc: string, extra = '', uid = 'rs-1') => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: app
  labels: {app: web, pod-template-hash: 5d9f}
  annotations: {cni.projectcalico.org/podIP: 10.0.0.7/32}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9f, uid: ${uid}, controller: true}]
spec:
  nodeName: node-1
  serviceAccountName: default
  serviceAccount: default
  priority: 0
  enableServiceLinks: true
  tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}]
  containers:
  - name: web
    image: registry.example.com/web:1.0
    imagePullPolicy: IfNotPresent
    securityContext: ${sc}
    volumeMounts: [{name: kube-api-access-x1, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}]
${extra}  volumes:
  - name: kube-api-access-x1
    projected: {defaultMode: 420, sources: [{serviceAccountToken: {path: token, expirationSeconds: 3607}}]}
`;

  it('pods and the ReplicaSet running the Deployment template are judged once, at the Deployment, with the pod count', () => {
    const yaml = deployment('{privileged: true}') + rs + pod('web-5d9f-a', '{privileged: true}') + pod('web-5d9f-b', '{privileged: true}');
    const i = inv(yaml);
    const owners = templateOwnersOf(i);
    assert.equal(owners.covered, 3);
    const r = scanInventory(i, [], { now: NOW });
    const priv = r.findings.filter((f) => f.controlId === 'KOR-0003');
    assert.deepEqual(priv.map((f) => [f.object?.id, f.pods]), [['Deployment/app/web', 2]]);
    assert.deepEqual(r.findings.filter((f) => f.object?.kind !== 'Deployment').map((f) => f.controlId), []);
    assert.match(formatPretty(r, { color: false } as never), /runs in 2 pods/);
    const sarif = JSON.parse(formatSarif(r)) as { runs: Array<{ results: Array<{ ruleId: string; properties: { pods?: number } }> }> };
    assert.equal(sarif.runs[0]!.results.find((x) => x.ruleId === 'KOR-0003')!.properties.pods, 2);
    // without de-duplication: the Deployment, the ReplicaSet and each pod
    assert.equal(scanInventory(i, [], { now: NOW, dedupe: false }).findings.filter((f) => f.controlId === 'KOR-0003').length, 4);
  });

  it('a pod whose securityContext was changed at admission is judged itself; so is a pod whose owner is someone else (uid)', () => {
    const yaml = deployment('{privileged: true}') + rs + pod('web-5d9f-a', '{privileged: true}') + pod('web-5d9f-m', '{privileged: true, runAsUser: 0}') + pod('web-5d9f-o', '{privileged: true}', '', 'other-uid');
    const r = scanInventory(inv(yaml), [], { now: NOW });
    const byObj = (id: string) => r.findings.filter((f) => f.object?.id === id).map((f) => f.controlId);
    assert.deepEqual(byObj('Pod/app/web-5d9f-a'), []);
    // mutated: what differs (runAsUser 0), not the privileged flag the Deployment already reports;
    // (KOR-0110 words the service account the admission plugin filled in differently: said again)
    assert.ok(byObj('Pod/app/web-5d9f-m').includes('KOR-0016'));
    assert.deepEqual(byObj('Pod/app/web-5d9f-m').filter((id) => id !== 'KOR-0016' && id !== 'KOR-0110'), []);
    assert.ok(byObj('Pod/app/web-5d9f-o').includes('KOR-0003'));
    assert.equal(r.findings.find((f) => f.controlId === 'KOR-0003' && f.object?.kind === 'Deployment')!.pods, 1);
  });

  it('an injected sidecar container makes the pod differ from its template', () => {
    const sidecar = '  - name: proxy\n    image: registry.example.com/proxy:1.0\n    securityContext: {capabilities: {add: [NET_ADMIN]}}\n';
    const r = scanInventory(inv(deployment('{privileged: true}') + rs + pod('web-5d9f-s', '{privileged: true}', sidecar)), [], { now: NOW });
    const mine = r.findings.filter((f) => f.object?.id === 'Pod/app/web-5d9f-s');
    assert.ok(mine.some((f) => f.controlId === 'KOR-0126' && f.container === 'proxy'));
    assert.ok(!mine.some((f) => f.controlId === 'KOR-0003'));
  });

  it('files without ownerReferences are untouched, and the JSON is the same byte for byte on every run', () => {
    const yaml = deployment('{privileged: true}');
    assert.equal(templateOwnersOf(inv(yaml)).covered, 0);
    const a = formatJson(scan(capPod() + '---\n' + yaml));
    const b = formatJson(scan(capPod() + '---\n' + yaml));
    assert.equal(a, b);
    assert.match(a, /"related": \[/);
    assert.match(formatMarkdown(scan(capPod())), /also: KOR-0004, KOR-0018/);
  });
});
