/**
 * Generated ValidatingAdmissionPolicies against the real kube-apiserver: every control with a
 * `cel` rule gets its policy + binding (Deny), and each object of the control's pass and fail
 * fixtures is created (server-side dry run). The API server's decision must agree with kordon's
 * scan of the same objects, object by object, for every control; each control's fixtures must
 * give the server at least one object to deny and one to allow.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { allControls } from '../../src/controls/index.js';
import { generatePolicies } from '../../src/admission/policies.js';
import { celKinds } from '../../src/admission/policies.js';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { collectionPath, completeForServer, ensureNamespaces, fixtureObjects, keyOf, kordonDenies, serverDecision, withLabel, type ServerDecision } from './admission-oracle.js';

const RUN = randomBytes(4).toString('hex');
const LABEL = 'kordon.dev/admission-test';
const expressible = allControls.filter((c) => c.cel);

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
const created: string[] = [];

describe('generated admission policies: the API server decides as kordon scans', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    await ensureNamespaces(cp, expressible.flatMap((c) => fixtureObjects(c).map((f) => f.object)));
    // one binding per control, selecting only objects labelled for that control in this run
    for (const c of expressible) {
      const { policies } = generatePolicies([c], { action: 'Deny', namePrefix: `kordon-${RUN}-`, objectSelector: { matchLabels: { [LABEL]: `${RUN}-${c.id}` } } });
      const p = policies[0];
      assert.ok(p, `${c.id} has a cel rule but no policy`);
      for (const [kind, obj] of [['validatingadmissionpolicies', p.policy], ['validatingadmissionpolicybindings', p.binding]] as const) {
        const r = await apiRequest(cp, 'admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${kind}`, obj);
        assert.equal(r.status, 201, `${c.id} ${kind}: ${r.text.slice(0, 500)}`);
        created.push(`/apis/admissionregistration.k8s.io/v1/${kind}/${(obj as { metadata: { name: string } }).metadata.name}`);
      }
    }
    // policies load asynchronously: a canary policy created last denies once the others are loaded
    const canary = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: `kordon-${RUN}-canary` }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] }] }, validations: [{ expression: 'false', message: 'canary' }] } };
    const canaryBinding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `kordon-${RUN}-canary` }, spec: { policyName: `kordon-${RUN}-canary`, validationActions: ['Deny'], matchResources: { objectSelector: { matchLabels: { [LABEL]: `${RUN}-canary` } } } } };
    for (const [kind, obj] of [['validatingadmissionpolicies', canary], ['validatingadmissionpolicybindings', canaryBinding]] as const) {
      const r = await apiRequest(cp, 'admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${kind}`, obj);
      assert.equal(r.status, 201, r.text);
      created.push(`/apis/admissionregistration.k8s.io/v1/${kind}/${obj.metadata.name}`);
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'canary', labels: { [LABEL]: `${RUN}-canary` } } });
      if (r.status === 422 || r.status === 403) break;
      assert.ok(Date.now() < deadline, 'the policies did not load within 60 s');
      await new Promise((res) => setTimeout(res, 250));
    }
  });
  after(async () => {
    for (const p of created.reverse()) await apiRequest(cp, 'admin', 'DELETE', p).catch(() => undefined);
    await release();
  });

  it('most controls that judge one object at a time have a rule', () => {
    assert.ok(expressible.length >= 40, `only ${expressible.length} controls have a cel rule`);
  });

  for (const control of expressible) {
    it(`${control.id} ${control.name}`, async (t) => {
      const kinds = new Set(celKinds(control));
      const objects = fixtureObjects(control).map((f) => ({ ...f, object: withLabel(completeForServer(f.object), LABEL, `${RUN}-${control.id}`) }));
      // each fixture file is scanned on its own (pass and fail files may reuse names)
      const denied = new Set<string>();
      for (const file of [...new Set(objects.map((o) => o.file))]) {
        for (const key of await kordonDenies(control, objects.filter((o) => o.file === file).map((o) => o.object))) denied.add(`${file} ${key}`);
      }
      const judged = objects.filter((o) => (kinds.has('*') || kinds.has(o.object.kind)) && collectionPath(o.object) !== undefined);
      // kordon must not report the control on kinds the policy does not match
      for (const o of objects) if (!judged.includes(o) && !kinds.has('*')) assert.ok(!denied.has(`${o.file} ${keyOf(o.object)}`), `${o.file}: kordon reports ${keyOf(o.object)}, a kind the policy does not match`);
      const marker = `kordon-${RUN}-${control.name}`;
      // policies load asynchronously: retry while the server allows what kordon denies
      const deadline = Date.now() + 3_000;
      let rows: Array<{ key: string; file: string; kordon: 'allow' | 'deny'; server: ServerDecision }> = [];
      for (;;) {
        rows = [];
        for (const o of judged) {
          const key = keyOf(o.object);
          rows.push({ key, file: o.file, kordon: denied.has(`${o.file} ${key}`) ? 'deny' : 'allow', server: await serverDecision(cp, o.object, marker) });
        }
        const pending = rows.some((r) => r.kordon === 'deny' && r.server.decision === 'allow');
        if (!pending || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      // objects the server cannot judge: an API version it does not serve, or an object its validation refuses (admission never runs)
      const unjudged = rows.filter((r) => r.server.decision === 'error' && (r.server.status === 404 || (r.server.status === 422 && r.server.message.includes(' is invalid'))));
      for (const r of unjudged) t.diagnostic(`not judged by the server: ${r.file}: ${r.key}: ${r.server.decision === 'error' ? r.server.message.slice(0, 200) : ''}`);
      rows = rows.filter((r) => !unjudged.includes(r));
      const errors = rows.filter((r) => r.server.decision === 'error');
      assert.deepEqual(errors.map((r) => `${r.file}: ${r.key}: ${r.server.decision === 'error' ? r.server.message : ''}`), [], 'the API server refused fixture objects for other reasons');
      const disagreements = rows.filter((r) => r.server.decision !== r.kordon).map((r) => `${r.file}: ${r.key}: kordon ${r.kordon}, server ${r.server.decision}${r.server.decision === 'deny' ? ` (${r.server.message})` : ''}`);
      assert.deepEqual(disagreements, [], 'kordon and the API server disagree');
      // the fixtures must give the server something to decide (some, like procMount: Unmasked without a
      // user namespace, are refused by the server's validation before admission: kordon still reports them)
      assert.ok(rows.length > 0, 'no fixture object reaches the policy');
      t.diagnostic(`${rows.filter((r) => r.server.decision === 'deny').length} denied, ${rows.filter((r) => r.server.decision === 'allow').length} allowed, ${unjudged.length} refused before admission`);
    });
  }

  it('ephemeral containers added through the pods/ephemeralcontainers subresource are judged too', async () => {
    const c = expressible.find((x) => x.name === 'pss-privileged')!;
    const ns = `kordon-admission-${RUN}`;
    assert.equal((await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'target', namespace: ns, labels: { [LABEL]: `${RUN}-${c.id}` } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] } };
    const created = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${ns}/pods`, pod);
    assert.equal(created.status, 201, created.text);
    const withDebugger = (privileged: boolean): unknown => ({
      ...created.body,
      spec: { ...created.body.spec, ephemeralContainers: [{ name: 'debug', image: 'registry.example.com/debug:1.0', securityContext: { privileged } }] },
    });
    const url = `/api/v1/namespaces/${ns}/pods/target/ephemeralcontainers?dryRun=All`;
    const denied = await apiRequest(cp, 'admin', 'PUT', url, withDebugger(true));
    assert.equal(denied.status, 422, denied.text);
    assert.match(denied.body.message, new RegExp(`kordon-${RUN}-pss-privileged`));
    const allowed = await apiRequest(cp, 'admin', 'PUT', url, withDebugger(false));
    assert.equal(allowed.status, 200, allowed.text);
    await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${ns}/pods/target?gracePeriodSeconds=0`);
  });
});
