/**
 * `kordon vap --cluster`: the policies, bindings, params and objects read from a live cluster.
 * A ConfigMap created before a policy that forbids it is stored; the dry run over the cluster
 * says the policy would deny it now (and allows its neighbour), as a server-side dry-run create
 * of the same object does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { runCli } from '../support/cli.js';
import type { VapResult } from '../../src/vap/dry-run.js';

const RUN = randomBytes(3).toString('hex');
const NS = `vap-cluster-${RUN}`;
const ADM = '/apis/admissionregistration.k8s.io/v1';
let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void>;

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  const post = async (p: string, body: unknown) => {
    const r = await apiRequest(cp, 'admin', 'POST', p, body);
    if (r.status >= 300) throw new Error(`${p}: ${r.status} ${r.text.slice(0, 300)}`);
  };
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'vap-cluster': RUN } } });
  await post(`/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: NS }, data: { password: 'hunter2' } });
  await post(`/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'clean', namespace: NS }, data: { mode: 'fast' } });
  await post(`${ADM}/validatingadmissionpolicies`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: `no-passwords-${RUN}` },
    spec: {
      matchConstraints: { namespaceSelector: { matchLabels: { 'vap-cluster': RUN } }, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] },
      validations: [{ expression: "!('password' in object.?data.orValue({}))", message: 'ConfigMaps hold no passwords' }],
    },
  });
  await post(`${ADM}/validatingadmissionpolicybindings`, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `no-passwords-${RUN}` }, spec: { policyName: `no-passwords-${RUN}`, validationActions: ['Deny'] } });
});

after(async () => {
  await apiRequest(cp, 'admin', 'DELETE', `${ADM}/validatingadmissionpolicybindings/no-passwords-${RUN}`).catch(() => undefined);
  await apiRequest(cp, 'admin', 'DELETE', `${ADM}/validatingadmissionpolicies/no-passwords-${RUN}`).catch(() => undefined);
  await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${NS}`).catch(() => undefined);
  await release?.();
});

test('vap --cluster decides the stored objects through the stored policies, and never prints a value', async () => {
  const r = await runCli(['vap', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-q', '--format', 'json']);
  const report = JSON.parse(r.out) as { results: VapResult[] };
  const mine = report.results.filter((x) => x.policy === `no-passwords-${RUN}`).map((x) => `${x.object.namespace}/${x.object.name}: ${x.allowed ? 'allowed' : `denied | ${x.violations.map((v) => v.message).join(', ')}`}`);
  assert.deepEqual(mine.sort(), [`${NS}/clean: allowed`, `${NS}/legacy: denied | ConfigMaps hold no passwords`]);
  assert.ok(!r.out.includes('hunter2'));
  // the server agrees: the same object, created again under another name, is denied
  const dry = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/configmaps?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy-2', namespace: NS }, data: { password: 'x' } });
  assert.equal(dry.status >= 400, true, dry.text);
  assert.match(String(dry.body?.message), /ConfigMaps hold no passwords/);
});
