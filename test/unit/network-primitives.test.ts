import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atomicRanges, formatRange, parseCidr } from '../../src/network/ip.js';
import { PortSet } from '../../src/network/ports.js';
import { compileSelector } from '../../src/network/selector.js';

describe('PortSet', () => {
  it('merges adjacent and overlapping ranges and prints protocols in order', () => {
    const s = PortSet.of('UDP', 1, 4999).union(PortSet.of('UDP', 5001, 65535)).union(PortSet.protocol('SCTP')).union(PortSet.of('TCP', 8080)).union(PortSet.of('TCP', 80)).union(PortSet.of('TCP', 81, 81));
    assert.equal(s.toString(), 'SCTP 1-65535,TCP 80-81,8080,UDP 1-4999,5001-65535');
    assert.equal(PortSet.all.toString(), 'All Connections');
    assert.ok(PortSet.protocol('TCP').union(PortSet.protocol('UDP')).union(PortSet.protocol('SCTP')).isAll());
  });
  it('intersects and subtracts', () => {
    const a = PortSet.of('TCP', 10, 20);
    assert.equal(a.intersect(PortSet.of('TCP', 15, 30)).toString(), 'TCP 15-20');
    assert.equal(a.subtract(PortSet.of('TCP', 12, 13)).toString(), 'TCP 10-11,14-20');
    assert.ok(a.intersect(PortSet.of('UDP', 10, 20)).isEmpty());
    assert.equal(PortSet.all.subtract(PortSet.protocol('TCP')).toString(), 'SCTP 1-65535,UDP 1-65535');
  });
});

describe('IP ranges', () => {
  it('parses CIDRs of both families and masks host bits', () => {
    assert.equal(formatRange(parseCidr('10.1.2.3/8')!), '10.0.0.0-10.255.255.255');
    assert.equal(formatRange(parseCidr('fd00:ec2::254/128')!), 'fd00:ec2::254-fd00:ec2::254');
    assert.equal(formatRange(parseCidr('::/0')!), '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    assert.equal(formatRange(parseCidr('::ffff:10.0.0.1/128')!), '::ffff:a00:1-::ffff:a00:1');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('1:2:3'), undefined);
  });
  it('cuts the address space at every boundary', () => {
    const atoms = atomicRanges([parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!]).map(formatRange);
    assert.deepEqual(atoms, ['0.0.0.0-9.255.255.255', '10.0.0.0-10.0.255.255', '10.1.0.0-10.1.255.255', '10.2.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
    assert.deepEqual(atomicRanges([]).map(formatRange), ['0.0.0.0-255.255.255.255']);
  });
});

describe('label selectors', () => {
  it('implements In, NotIn, Exists, DoesNotExist and empty/invalid selectors', () => {
    const sel = compileSelector({ matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] });
    assert.equal(sel({ app: 'db' }), true);
    assert.equal(sel({ app: 'db', tier: 'front' }), false);
    assert.equal(sel({ app: 'web' }), false);
    assert.equal(compileSelector({})({ any: 'thing' }), true);
    assert.equal(compileSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })({ a: '1' }), false);
    assert.equal(compileSelector(null)({}), false);
  });
});

describe('selector candidates (the label index behind pod selectors)', () => {
  it('gives every workload a selector matches, in workload order, whatever the selector', async () => {
    const { Inventory } = await import('../../src/inventory/inventory.js');
    const { buildNetworkModel } = await import('../../src/network/model.js');
    const { selectorCandidates } = await import('../../src/network/policy.js');
    const pods = [];
    for (let i = 0; i < 60; i++) {
      const labels: Record<string, string> = { app: `a${i % 7}`, tier: i % 3 === 0 ? 'web' : 'db' };
      if (i % 5 === 0) labels['canary'] = 'true';
      if (i % 11 === 0) labels['7'] = '7';
      pods.push({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: i % 2 ? 'one' : 'two', labels }, spec: { containers: [{ name: 'c', image: 'x' }] } }, origin: { source: 's', documentIndex: 0, itemPointer: '', line: 1, column: 1, via: 'file' as const } });
    }
    const model = buildNetworkModel(new Inventory(pods));
    const selectors: unknown[] = [
      {}, { matchLabels: { app: 'a3' } }, { matchLabels: { tier: 'web', app: 'a1' } }, { matchLabels: { app: 'nope' } },
      { matchLabels: { 7: 7 } }, { matchLabels: { canary: 'true' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { matchLabels: ['app'] }, { matchLabels: null }, 'invalid',
    ];
    for (const ns of ['one', 'two', 'absent']) {
      for (const sel of selectors) {
        const m = compileSelector(sel);
        const all = (model.byNamespace.get(ns) ?? []).filter((w) => m(w.labels));
        assert.deepEqual(selectorCandidates(model, ns, sel).filter((w) => m(w.labels)), all, `${ns} ${JSON.stringify(sel)}`);
      }
    }
    assert.ok(selectorCandidates(model, 'one', { matchLabels: { app: 'a3' } }).length < (model.byNamespace.get('one') ?? []).length, 'the index narrows the search');
  });
});
