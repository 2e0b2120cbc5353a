/**
 * The shipped bootstrap policy and discovery table (src/rbac/bootstrap/) against the running
 * kube-apiserver: read the same way as scripts/gen-rbac-bootstrap.ts generates them, they must be
 * equal (every RBAC object with its rules, every resource with its names, scope and verbs).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiAgent, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { readShippedVersion, type Get } from '../../scripts/gen-rbac-bootstrap.js';
import { shippedVersionFor } from '../../src/rbac/bootstrap/index.js';

describe('shipped bootstrap policy = what kube-apiserver serves', () => {
  let cp: ControlPlaneInfo;
  let release: () => Promise<void> = async () => {};
  let get: Get;
  let close = (): void => {};

  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    const agent = apiAgent(cp, 'admin', 4);
    close = () => agent.destroy();
    get = async (p) => {
      const r = await apiRequest(cp, 'admin', 'GET', p, undefined, { agent });
      assert.equal(r.status, 200, `GET ${p}: ${r.text.slice(0, 200)}`);
      return r.body;
    };
  });

  after(async () => {
    close();
    await release();
  });

  it('RBAC objects (rules, aggregation rules, bindings) and discovery are equal to the shipped data of the server\'s minor', async () => {
    const served = await readShippedVersion(get);
    const shipped = shippedVersionFor(served.minor);
    assert.equal(shipped.exact, true, `no shipped data for the server's version ${served.serverVersion}`);
    const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    assert.deepEqual(served.objects.map(key), shipped.data.objects.map(key), 'the same bootstrap objects');
    // The server runs no controller-manager here, so aggregated roles carry their selectors and no rules on both sides.
    for (const [i, o] of served.objects.entries()) assert.deepEqual(o, shipped.data.objects[i], key(o));
    assert.deepEqual(served.resources, shipped.data.resources);
    console.log(`# bootstrap: ${served.objects.length} RBAC objects and ${served.resources.length} resources of ${served.serverVersion} equal to the shipped ${shipped.data.minor} data`);
  });
});
