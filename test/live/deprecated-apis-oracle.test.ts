/**
 * The deprecated-API data of KOR-0143 against a real kube-apiserver (the shared test control
 * plane, default flags): every kind the data says is no longer served at the server's version is
 * absent from its discovery, and every GA version the control names as the replacement of such a
 * kind is served, with that kind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { deprecatedApis, replacementAt } from '../../src/controls/code/deprecated-apis.js';

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
/** `group/version` (`v1` for the core group) → the kinds it serves. */
const served = new Map<string, Set<string>>();
let minor = 0;

describe('deprecated API versions against the real API server', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    minor = Number(/^v1\.(\d+)\./.exec(cp.kubernetesVersion)![1]);
    const groups = await apiRequest(cp, 'admin', 'GET', '/apis');
    assert.equal(groups.status, 200);
    const versions = ['v1', ...(groups.body.groups as Array<{ versions: Array<{ groupVersion: string }> }>).flatMap((g) => g.versions.map((v) => v.groupVersion))];
    for (const gv of versions) {
      const r = await apiRequest(cp, 'admin', 'GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
      assert.equal(r.status, 200, `${gv}: ${r.status}`);
      served.set(gv, new Set((r.body.resources as Array<{ name: string; kind: string }>).filter((x) => !x.name.includes('/')).map((x) => x.kind)));
    }
  });
  after(async () => release());

  it('what the data says is removed at the server\'s version is not served', () => {
    let checked = 0;
    for (const e of deprecatedApis().byKey.values()) {
      if (e.removed === undefined || e.removed > minor) continue;
      assert.ok(!served.get(e.apiVersion)?.has(e.kind), `${e.apiVersion} ${e.kind}: removed in 1.${e.removed}, but a 1.${minor} server serves it`);
      checked++;
    }
    assert.ok(checked >= 60, `only ${checked} removed kinds checked`);
  });

  it('the GA replacement the control names for a removed kind is served', () => {
    let checked = 0;
    for (const e of deprecatedApis().byKey.values()) {
      if (e.removed === undefined || e.removed > minor) continue;
      const r = replacementAt(e, minor);
      if (!r) continue;
      const [apiVersion, kind] = r.split(' ');
      if (!/(^|\/)v\d+$/.test(apiVersion!)) continue; // a prerelease replacement is not served by default
      assert.ok(served.get(apiVersion!)?.has(kind ?? e.kind), `${e.apiVersion} ${e.kind}: the replacement ${r} is not served by a 1.${minor} server`);
      checked++;
    }
    assert.ok(checked >= 40, `only ${checked} replacements checked`);
  });
});
