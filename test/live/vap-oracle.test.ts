/**
 * Oracle: kordon's ValidatingAdmissionPolicy dry run against the real kube-apiserver.
 *
 * The same policies, bindings and param objects are created in the test API server; every
 * candidate object is then sent as a server-side dry-run create, and the server's decision
 * (allowed or denied, the denial's policy, binding and message, the Warn warnings) is compared
 * with `vapDryRun` on the same objects (request.dryRun true, the admin user). Every policy is
 * scoped to this run's namespaces by a label, so the shared control plane's other tests are
 * never affected. The API server defaults objects before validating admission; the policies
 * read only fields the objects carry as written (defaulting is out of the dry run's scope).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { vapDryRun } from '../../src/vap/dry-run.js';
import { rbacAuthorizer } from '../../src/vap/authorizer.js';
import { oracleScenario } from '../corpus/vap/oracle-scenario.js';

const RUN = randomBytes(3).toString('hex');

function pathOf(o: K8sObject): string {
  const plural: Record<string, string> = { Namespace: 'namespaces', ConfigMap: 'configmaps', Pod: 'pods', Service: 'services', Secret: 'secrets', ServiceAccount: 'serviceaccounts', Deployment: 'deployments', ValidatingAdmissionPolicy: 'validatingadmissionpolicies', ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings' };
  const p = plural[o.kind];
  if (!p) throw new Error(`no path for ${o.kind}`);
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const cluster = ['Namespace', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(o.kind);
  return cluster ? `${base}/${p}` : `${base}/namespaces/${o.metadata.namespace}/${p}`;
}

interface ServerDecision {
  allowed: boolean;
  message: string;
  warnings: string[];
}

async function dryRunCreate(cp: ControlPlaneInfo, o: K8sObject): Promise<ServerDecision> {
  const r = await apiRequest(cp, 'admin', 'POST', `${pathOf(o)}?dryRun=All`, o);
  const warn = r.headers['warning'];
  const warnings = (Array.isArray(warn) ? warn : warn ? [warn] : []).flatMap((w) => w.split(/,\s*(?=299 )/)).map((w) => w.replace(/^299 - "/, '').replace(/"$/, '').replace(/\\"/g, '"'));
  if (r.status === 201 || r.status === 200) return { allowed: true, message: '', warnings };
  // `pods "x" is forbidden: <the policy's message>`
  if (r.status === 403 || r.status === 422 || r.status === 400 || r.status === 401 || r.status === 413) return { allowed: false, message: String(r.body?.message ?? r.text).replace(/^[a-z.]+ "[^"]*" is forbidden: /, ''), warnings };
  throw new Error(`dry-run create of ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
}

describe('vap dry run agrees with the kube-apiserver (server-side dry-run creates)', () => {
  let cp: ControlPlaneInfo;
  let release: () => Promise<void>;
  let scenario: ReturnType<typeof oracleScenario>;
  const created: K8sObject[] = [];

  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    scenario = oracleScenario(RUN, cp.credentials['admin']!.username);
    // namespaces and params for real, then the policies and bindings
    for (const o of [...scenario.namespaces, ...scenario.params, ...scenario.policies, ...scenario.bindings]) {
      const r = await apiRequest(cp, 'admin', 'POST', pathOf(o), o);
      if (r.status >= 300) throw new Error(`creating ${o.kind} ${o.metadata.name}: ${r.status} ${r.text.slice(0, 400)}`);
      created.push(o);
    }
    // the API server reads policies through an informer: wait until the sentinel policy denies
    const deadline = Date.now() + 60_000;
    for (;;) {
      const d = await dryRunCreate(cp, scenario.sentinel);
      if (!d.allowed && d.message.includes('sentinel')) break;
      if (Date.now() > deadline) throw new Error('the policies never became active');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1500));
  });

  after(async () => {
    for (const o of created.reverse()) {
      if (o.kind === 'ConfigMap') continue; // removed with their namespace
      await apiRequest(cp, 'admin', 'DELETE', `${pathOf(o)}/${o.metadata.name}`).catch(() => undefined);
    }
    await release?.();
  });

  it('every decision, denial message and warning agrees', async () => {
    const all = [...scenario.namespaces, ...scenario.params, ...scenario.policies, ...scenario.bindings, ...scenario.candidates];
    const inv = new Inventory(all.map((object, i) => ({ object: JSON.parse(JSON.stringify(object)) as K8sObject, origin: { source: 'oracle.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
    const candidates = inv.objects.slice(all.length - scenario.candidates.length);
    const admin = cp.credentials['admin']!;
    const user = { username: admin.username, groups: [...new Set([...admin.groups, 'system:authenticated'])] };
    const report = vapDryRun(inv, { user, dryRun: true, objects: candidates, authorize: rbacAuthorizer(inv, user) });
    const compileProblems = report.problems.filter((p) => p.message.includes('does not compile'));
    assert.deepEqual(compileProblems.map((p) => p.message), scenario.expectedCompileProblems.map((e) => compileProblems.find((p) => p.message.includes(e))?.message ?? `missing: ${e}`));
    const mismatches: string[] = [];
    let denied = 0;
    let warned = 0;
    for (const [i, o] of scenario.candidates.entries()) {
      const id = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const server = await dryRunCreate(cp, o);
      const mine = report.results.filter((r) => r.object.line === all.length - scenario.candidates.length + i + 1);
      const kAllowed = mine.every((r) => r.allowed);
      if (kAllowed !== server.allowed) {
        mismatches.push(`${id}: server ${server.allowed ? 'allowed' : `denied (${server.message})`}, kordon ${kAllowed ? 'allowed' : 'denied'} ${JSON.stringify(mine)}`);
        continue;
      }
      if (!server.allowed) {
        denied++;
        // the server names the first denying policy/binding and its message: kordon must have it
        const explained = mine.some((r) => !r.allowed && r.violations.some((v) => server.message === `ValidatingAdmissionPolicy '${r.policy}' with binding '${r.binding}' denied request: ${v.message}` || (v.error && server.message.startsWith(`ValidatingAdmissionPolicy '${r.policy}' with binding '${r.binding}' denied request: `))));
        if (!explained) mismatches.push(`${id}: server says "${server.message}", kordon ${JSON.stringify(mine.filter((r) => !r.allowed))}`);
      }
      const serverWarnings = server.warnings.filter((w) => w.startsWith('Validation failed for ValidatingAdmissionPolicy')).sort();
      const myWarnings = mine
        .filter((r) => r.validationActions.includes('Warn'))
        .flatMap((r) => r.violations.filter((v) => !v.error).map((v) => `Validation failed for ValidatingAdmissionPolicy '${r.policy}' with binding '${r.binding}': ${v.message}`))
        .sort();
      if (serverWarnings.length) warned++;
      if (JSON.stringify(serverWarnings) !== JSON.stringify(myWarnings)) mismatches.push(`${id}: warnings differ: server ${JSON.stringify(serverWarnings)}, kordon ${JSON.stringify(myWarnings)}`);
    }
    assert.deepEqual(mismatches, []);
    // the scenario exercises both outcomes, and Warn
    assert.ok(denied >= 10, `only ${denied} denials`);
    assert.ok(warned >= 2, `only ${warned} warned`);
    assert.ok(scenario.candidates.length - denied >= 10);
  });
});
