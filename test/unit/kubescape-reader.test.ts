/**
 * The one Kubescape ApplicationProfile/ContainerProfile reader (src/sources/runtime/kubescape.ts)
 * and its two users: the vulnerabilities' runtime evidence (execs, opens) and harden's behaviour
 * (syscalls, capabilities) read the same file the same way (test/corpus/harden7/kubescape).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseKubescapeProfile } from '../../src/sources/runtime/kubescape.js';
import { readRuntimeInputs } from '../../src/sources/runtime/read.js';
import { readBehaviour } from '../../src/sources/runtime/behaviour/read.js';
import type { K8sObject } from '../../src/inventory/types.js';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus/harden7/kubescape/profiles.yaml');
const items = (parse(readFileSync(FILE, 'utf8')) as { items: K8sObject[] }).items;

describe('one Kubescape profile reader', () => {
  it('reads whose profile it is, every container (init too), what it did, and how complete it is', () => {
    const app = parseKubescapeProfile(items[0]!);
    assert.equal(app.workload, 'checkout');
    assert.equal(app.workloadKind, 'Deployment');
    assert.equal(app.namespace, 'shop');
    assert.equal(app.complete, true);
    assert.deepEqual(app.containers.map((c) => c.name), ['checkout', 'envoy', 'migrate']);
    const checkout = app.containers[0]!;
    assert.equal(checkout.image, 'registry.example/checkout@sha256:3333333333333333333333333333333333333333333333333333333333333333');
    assert.deepEqual(checkout.execs, [{ kind: 'exec', value: '/usr/local/bin/checkout' }]);
    assert.deepEqual(checkout.opens[1], { kind: 'open', value: '/proc/⋯/stat', pattern: true });
    assert.deepEqual(checkout.capabilities, ['NET_BIND_SERVICE']);
    // an entry that is not a name is said
    assert.deepEqual(app.problems, ['container envoy: 1 syscalls entry is not a name']);
    const ledger = parseKubescapeProfile(items[1]!);
    assert.deepEqual(ledger.containers.map((c) => c.name), ['ledger']);
    assert.equal(ledger.partial, true);
    assert.equal(ledger.complete, false);
    assert.equal(ledger.containers[0]!.capabilities, undefined); // not recorded: not "none used"
  });

  it('the vulnerabilities\' evidence and harden\'s behaviour come from the same reading', async () => {
    const ev = await readRuntimeInputs([FILE]);
    const beh = await readBehaviour([FILE]);
    // evidence: one record per container, with the execs and opens
    assert.deepEqual(ev.evidence.map((e) => `${e.selector.workload}/${e.selector.container}`), ['checkout/checkout', 'checkout/envoy', 'checkout/migrate', 'ledger/ledger']);
    assert.deepEqual(ev.evidence[0]!.observations.filter((o) => o.kind === 'exec').map((o) => o.value), ['/usr/local/bin/checkout']);
    assert.equal(ev.evidence[3]!.complete, false);
    // behaviour: the same containers, with their syscalls and capabilities
    const checkout = beh.subjects.get([...beh.subjects.keys()].find((k) => k.includes('checkout'))!)!;
    const ledger = beh.subjects.get([...beh.subjects.keys()].find((k) => k.includes('ledger'))!)!;
    assert.deepEqual([...checkout.containers.keys()].sort(), ['checkout', 'envoy', 'migrate']);
    assert.deepEqual([...ledger.containers.keys()], ['ledger']);
    for (const e of ev.evidence) {
      const subject = e.selector.workload === 'checkout' ? checkout : ledger;
      const c = subject.containers.get(e.selector.container!)!;
      assert.deepEqual([...c.syscalls.keys()].sort(), e.observations.filter((o) => o.kind === 'syscall').map((o) => o.value).sort(), `${e.selector.container}: the same syscalls`);
      assert.deepEqual([...c.capabilities.keys()].sort(), e.observations.filter((o) => o.kind === 'capability').map((o) => o.value).sort());
    }
    assert.equal(checkout.containers.get('envoy')!.capabilitiesTraced, true); // [] : traced, none used
    assert.equal(ledger.containers.get('ledger')!.capabilitiesTraced, false);
    assert.equal(ledger.partial, true);
    // the malformed entry: one problem in each, at the file and line of the profile
    for (const problems of [ev.problems, beh.problems]) {
      const p = problems.filter((x) => /envoy: 1 syscalls entry is not a name/.test(x.message));
      assert.equal(p.length, 1, JSON.stringify(problems));
      assert.equal(p[0]!.line, 8); // the profile's first line
    }
  });
});
