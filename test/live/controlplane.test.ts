/**
 * Smoke test of the live control plane harness: authn/authz identities,
 * PodSecurity admission and the audit log, using plain Node https.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';

const suffix = randomBytes(3).toString('hex');
const nsPlain = `kordon-cp-${suffix}`;
const nsRestricted = `kordon-cp-restricted-${suffix}`;

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pod(name: string, securityContext: object, containerSecurityContext: object): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      securityContext,
      containers: [{ name: 'c', image: 'registry.example/app:1.0', securityContext: containerSecurityContext }],
    },
  };
}

describe('live control plane', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
  });

  after(async () => {
    if (cp) {
      for (const ns of [nsPlain, nsRestricted]) {
        await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
      }
    }
    await release();
  });

  it('authenticates each identity as the expected user and groups', async () => {
    const expected: Record<string, { user: string; group?: string }> = {
      admin: { user: 'kordon-admin', group: 'system:masters' },
      alice: { user: 'alice' },
      bob: { user: 'bob', group: 'dev' },
      'token-user': { user: 'token-user', group: 'tokens' },
    };
    for (const [id, want] of Object.entries(expected)) {
      const r = await apiRequest(cp, id, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
      assert.equal(r.status, 201, `${id}: ${r.text}`);
      assert.equal(r.body.status.userInfo.username, want.user);
      if (want.group) assert.ok(r.body.status.userInfo.groups.includes(want.group), `${id} groups: ${r.text}`);
    }
  });

  it('admin can create a namespace and list it', async () => {
    const created = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: nsPlain, labels: { 'kordon.test/purpose': 'controlplane-test' } },
    });
    assert.equal(created.status, 201, created.text);
    const list = await apiRequest(cp, 'admin', 'GET', '/api/v1/namespaces');
    assert.equal(list.status, 200, list.text);
    const names = (list.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
    assert.ok(names.includes(nsPlain), `namespaces: ${names.join(', ')}`);
    assert.ok(names.includes('default'));
  });

  it('alice (no RBAC bindings) is forbidden from listing secrets', async () => {
    const r = await apiRequest(cp, 'alice', 'GET', '/api/v1/secrets');
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.reason, 'Forbidden');
    assert.match(r.body.message, /User "alice" cannot list resource "secrets"/);
  });

  it('PodSecurity enforce=restricted rejects a privileged pod and accepts a compliant one (dry-run)', async () => {
    const ns = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: nsRestricted,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
    assert.equal(ns.status, 201, ns.text);

    const podsPath = `/api/v1/namespaces/${nsRestricted}/pods?dryRun=All`;
    const bad = await apiRequest(cp, 'admin', 'POST', podsPath, pod('privileged', {}, { privileged: true }));
    assert.equal(bad.status, 403, bad.text);
    const msg: string = bad.body.message;
    assert.match(msg, /violates PodSecurity "restricted:latest"/);
    for (const check of ['privileged', 'allowPrivilegeEscalation', 'unrestricted capabilities', 'runAsNonRoot', 'seccompProfile']) {
      assert.ok(msg.includes(check), `expected "${check}" in: ${msg}`);
    }

    const good = await apiRequest(
      cp,
      'admin',
      'POST',
      podsPath,
      pod('compliant', { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      }),
    );
    assert.equal(good.status, 201, good.text);
    assert.equal(good.body.metadata.namespace, nsRestricted);

    // dry-run: nothing was persisted
    const pods = await apiRequest(cp, 'admin', 'GET', `/api/v1/namespaces/${nsRestricted}/pods`);
    assert.equal(pods.status, 200, pods.text);
    assert.equal(pods.body.items.length, 0);
  });

  it('audit log records the namespace creation with its request body', async () => {
    type Event = { verb?: string; stage?: string; objectRef?: { resource?: string; name?: string }; requestObject?: any; user?: { username?: string } };
    let found: Event | undefined;
    for (let i = 0; i < 40 && !found; i++) {
      const events = readFileSync(cp.auditLogFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Event);
      found = events.find(
        (e) =>
          e.verb === 'create' &&
          e.stage === 'ResponseComplete' &&
          e.objectRef?.resource === 'namespaces' &&
          (e.objectRef?.name === nsPlain || e.requestObject?.metadata?.name === nsPlain),
      );
      if (!found) await sleep(250);
    }
    assert.ok(found, `no audit event for creating namespace ${nsPlain}`);
    assert.equal(found.user?.username, 'kordon-admin');
    assert.equal(found.requestObject?.metadata?.name, nsPlain);
    assert.equal(found.requestObject?.metadata?.labels?.['kordon.test/purpose'], 'controlplane-test');
  });
});
