/**
 * Every NetworkPolicy the network fixtures reason about is an object Kubernetes accepts:
 * each is created with server-side dry run (`?dryRun=All`) against the real API server, so
 * validation (peers, ports, endPort, ipBlock CIDRs, policyTypes) and defaulting run on it.
 * AdminNetworkPolicy objects are not checked here (their CRDs are not installed in the harness).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIRS = [path.join(ROOT, 'fixtures/network'), path.join(ROOT, 'fixtures/controls')];

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      if (dir.endsWith('controls') && !e.startsWith('KOR-03')) continue;
      out.push(...yamlFilesUnder(p));
    } else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out.sort();
}

interface Policy {
  file: string;
  object: { metadata: { name: string; namespace?: string } } & Record<string, unknown>;
}

const policies: Policy[] = DIRS.flatMap(yamlFilesUnder).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Policy['object'] | null)
    .filter((o): o is Policy['object'] => !!o && o['kind'] === 'NetworkPolicy')
    .map((object) => ({ file: path.relative(ROOT, file), object })),
);

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};

describe('fixture NetworkPolicies are valid for the API server', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    const namespaces = [...new Set(policies.map((p) => p.object.metadata.namespace ?? 'default'))].filter((n) => n !== 'default');
    for (const name of namespaces) {
      const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      assert.ok(r.status === 201 || r.status === 409, `namespace ${name}: ${r.status} ${r.text}`);
    }
  });
  after(async () => release());

  it('finds policies to check', () => assert.ok(policies.length >= 30, `only ${policies.length} policies found`));

  for (const p of policies) {
    it(`${p.file}: ${p.object.metadata.name}`, async () => {
      const ns = p.object.metadata.namespace ?? 'default';
      const r = await apiRequest(cp, 'admin', 'POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies?dryRun=All`, p.object);
      assert.equal(r.status, 201, `${p.file} ${p.object.metadata.name}: ${r.text}`);
    });
  }
});
