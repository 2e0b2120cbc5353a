/**
 * kordon's CEL runtime cost against the API server's own code: `celcost` (built from the
 * pinned Kubernetes modules by test/support/k8s/build.sh) compiles each expression as the
 * kube-apiserver compiles a ValidatingAdmissionPolicy's and reports cel-go's actual cost. For
 * every expression of the corpus, on the same object, kordon must compile what it compiles and
 * count exactly the same cost (an expression is cancelled at 1,000,000 on both sides only if
 * the counts agree). The corpus: every built-in control's `cel` rule over every Pod of the
 * control fixtures, and expressions over each part of the language and the libraries. (Go
 * iterates maps in random order: an `exists` over a map that two entries could decide costs
 * what that order makes it, on the server too; the corpus avoids such expressions.)
 * `test/live/vap-cost.test.ts` checks the same counts at the limit through the real API server.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { binaryPath } from '../support/controlplane.js';
import { allControls } from '../../src/controls/index.js';
import { compileCel, evaluateCel, toCel } from '../../src/cel/engine.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', labels: { team: 'shop', tier: 'web', 'app.kubernetes.io/name': 'web' }, annotations: { owner: 'ann', note: 'x'.repeat(120) } },
  spec: {
    replicas: 3,
    serviceAccountName: 'web',
    securityContext: { runAsNonRoot: true, supplementalGroups: [1000, 2000] },
    containers: [
      { name: 'c00', image: 'registry.example.com/app:1', ports: [{ containerPort: 80 }, { containerPort: 8443, protocol: 'TCP' }], resources: { limits: { memory: '512Mi', cpu: '500m' } } },
      { name: 'c01', image: 'docker.io/library/busybox:latest', securityContext: { privileged: false } },
      { name: 'side', image: 'x' },
    ],
  },
};

/** Expressions over each part of the language and the libraries (all compile on the server). */
const LANGUAGE = [
  'true', 'object.spec.replicas > 2', 'object.spec.replicas + 1 == 4', "object.metadata.name == 'web-1'", "object.metadata.name != ''",
  "object.metadata.name.startsWith('web')", "object.metadata.name.endsWith('1')", "object.metadata.name.contains('b-')", "object.metadata.annotations.note.matches('^x+$')",
  'size(object.spec.containers)', 'object.spec.containers[0].name', "object.metadata.labels['team']", "'team' in object.metadata.labels", 'has(object.spec.replicas)',
  'has(object.metadata.labels.team)', '!has(object.spec.foo)', "object.spec.containers.all(c, c.name.startsWith('c'))", "object.spec.containers.exists(c, c.name == 'c01')",
  "object.spec.containers.exists(c, c.name == 'zz')", "object.spec.containers.exists_one(c, c.name == 'c01')", 'object.spec.containers.map(c, c.name)',
  "object.spec.containers.filter(c, c.name != 'c01')", "object.spec.containers.map(c, c.name != 'c01', c.image)", '[1, 2, 3]', "{'a': object.spec.replicas}",
  'object.spec.replicas in [1, 2, 3]', "object.metadata.name + '-x'", 'object.metadata.annotations.note + object.metadata.name', 'object.metadata.annotations.note < object.metadata.name',
  'object.spec.replicas > 1 && object.spec.replicas < 5', 'object.spec.replicas > 5 ? 1 : 2', "object.metadata.?labels[?'team'].orValue('x')",
  "object.spec.containers.map(c, c.name).join(',')", "object.metadata.annotations.note.split('x').size()", "object.metadata.annotations.note.replace('x', 'yy')",
  "quantity(object.spec.containers[0].resources.limits.memory).isGreaterThan(quantity('1Mi'))", 'object.spec.containers[0].ports.all(p, p.containerPort > 0)',
  "object.spec.containers.all(c, object.spec.containers.all(d, c.name + d.name != ''))", "object.spec.containers.filter(c, c.name == 'c00')[0].image",
  '[object.metadata.name][0]', "{'a': {'b': 1}}.a.b", 'object.spec.containers[object.spec.replicas - 3].name', 'object.metadata.labels[object.metadata.labels.team + \'\']',
  '0 in object.spec.securityContext.supplementalGroups', 'object.spec.securityContext.supplementalGroups.map(g, g * 2).exists(x, x in object.spec.securityContext.supplementalGroups)',
  "object.spec.containers.all(i, c, i >= 0)", "object.metadata.labels.all(k, v, v != '')", 'object.spec.containers.transformList(i, c, c.name)',
  "object.metadata.labels.exists(k, v, v == 'nope')", "object.metadata.labels.transformMap(k, v, v + '!')", 'object.metadata.labels.transformMapEntry(k, v, {v: k})',
  "object.spec.containers.existsOne(i, c, c.name == 'c01')", "object.spec.containers.transformList(i, c, i > 0, c.name)",
  'optional.of(object.spec.replicas).optMap(x, x + 1).value()', "object.metadata.?labels.optFlatMap(l, l[?'team']).hasValue()", "object.metadata.?foo.optMap(l, l).hasValue()",
  "optional.ofNonZeroValue(object.metadata.name).hasValue()", 'object.spec.containers.map(c, c.name).sort()', 'object.spec.securityContext.supplementalGroups.sort()',
  '[3, 1, 2].sort()', 'object.spec.containers.sortBy(c, c.name)[0].name', 'object.spec.securityContext.supplementalGroups.sortBy(g, -g)', 'lists.range(3).all(i, object.spec.containers[i].name != \'\')',
  'object.spec.containers.map(c, c.name).distinct().size()', '[[1], [2, 3]].flatten()', 'object.spec.containers.slice(0, 2).size()', 'object.spec.containers.reverse()[0].name',
  "'%s/%d'.format([object.metadata.name, object.spec.replicas])", "isQuantity('1Gi')", "url('https://x.io/a').getHost()", "ip('10.0.0.1').family()", "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))",
  "object.spec.containers.exists(c, c.image.find('[a-z]+') == 'x')", "object.spec.containers.map(c, c.name).isSorted()", "semver('1.2.3').isLessThan(semver('1.10.0'))",
  "format.dns1123Label().validate(object.metadata.name).hasValue()", "sets.contains(object.spec.securityContext.supplementalGroups, [1000])",
  "sets.intersects(object.spec.containers.map(c, c.name), ['side', 'x'])", "sets.equivalent(object.spec.securityContext.supplementalGroups, [2000, 1000])", "object.metadata.name.indexOf('b')", "object.metadata.name.lowerAscii() == object.metadata.name.upperAscii().lowerAscii()",
];

/**
 * The ip and cidr libraries over addresses and prefixes of both families and several prefix
 * lengths (the call costs depend on the prefix's bytes), with the argument typed (string, IP,
 * CIDR: one overload) and `dyn` (read from the object: dispatched at runtime, no parse cost).
 */
const NET_OBJECT = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'net', namespace: 'shop' },
  data: { ip: '10.1.2.3', ip6: '2001:db8::7', cidr: '10.0.0.0/8', cidr6: '2001:db8::/100', wide: '0.0.0.0/0', host: '10.1.2.3/32' },
  list: ['10.0.0.1', '10.0.0.2', '192.168.0.1'],
};
const NET = [
  "ip('10.0.0.1')", 'ip(object.data.ip).family()', "isIP(object.data.ip6)", "ip.isCanonical('2001:db8::1')", "ip.isCanonical(object.data.ip6)", 'ip(object.data.ip).isLoopback()',
  "string(ip('2001:db8::1'))", 'cidr(object.data.cidr)', 'isCIDR(object.data.cidr6)', 'cidr(object.data.cidr).ip()', 'cidr(object.data.cidr6).masked().prefixLength()',
  "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))", "cidr('10.0.0.0/8').containsIP('10.1.2.3')", "cidr('10.0.0.0/8').containsIP(object.data.ip)", 'cidr(object.data.cidr).containsIP(object.data.ip)',
  "cidr('10.0.0.0/16').containsIP(object.data.ip)", "cidr('10.0.0.0/32').containsIP(object.data.ip)", 'cidr(object.data.wide).containsIP(object.data.ip)', 'cidr(object.data.host).containsIP(ip(object.data.ip))',
  "cidr('2001:db8::/48').containsIP('2001:db8::1')", "cidr('2001:db8::/128').containsIP(ip('2001:db8::1'))", "cidr('2001:db8::/64').containsIP(object.data.ip6)",
  "cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", "cidr('2001:db8::/32').containsCIDR('2001:db8:1::/48')",
  'cidr(object.data.cidr6).containsCIDR(object.data.cidr6)', "cidr('2001:db8::/96').containsCIDR(cidr('2001:db8::/112'))", "cidr('10.0.0.0/24').containsCIDR(object.data.cidr)",
  "cidr(object.data.cidr).containsCIDR('10.2.0.0/16')", 'cidr(object.data.wide).containsCIDR(object.data.host)',
  "object.list.all(a, cidr('10.0.0.0/8').containsIP(a))", "object.list.filter(a, cidr(object.data.cidr).containsIP(ip(a))).size()", "object.list.exists(a, cidr('192.168.0.0/16').containsIP(a))",
  "cidr('2001:db8::/32').masked().containsIP(object.data.ip6)", "cidr(object.data.cidr) == cidr('10.0.0.0/8')", "ip(object.data.ip) == cidr(object.data.host).ip()",
];

/**
 * Optional entries in list and map literals, optional selections that find nothing, `has()` on
 * computed values, optMap/optFlatMap with a body that does not read its variable, and the
 * API server's homogeneous literals (mixed element types do not compile).
 */
const OPTIONAL_OBJECT = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opt' }, a: 1, m: { x: 'y' }, l: [1, 2, 3] };
const OPTIONAL = [
  "[?optional.of(1), ?optional.none()]",
  "{?'k': optional.of(1)}",
  "{?'k': optional.none(), 'j': 2}",
  "[?object.?a, 2]",
  "[?object.?nope, 2]",
  "[1, ?object.m.?x, ?object.m.?y].size()",
  "{?'a': object.?a, ?'z': object.?z}",
  "{'x': 1, ?'y': object.m.?x}.size() == 2",
  "has({'a': 1}.a)",
  "has({'a': 1, 'b': 2}.c)",
  "has({'a': object.m}.a.x)",
  "has({'a': object.m}.a.q)",
  "has(object.m.x)",
  "has({}.a)",
  "object.l.map(i, [?optional.ofNonZeroValue(i - 1)]).size()",
  "[?object.?a].all(x, x > 0)",
  "[?1]",
  "{?'k': 1}",
  "[object.a, 2]",
  "[2, object.a]",
  "[1, 'a']",
  "[object.?a.value(), 2]",
  "[object.?a.orValue(0), 2]",
  "{'x': 1, 'y': object.a}",
  "{'x': 1, 'y': 'b'}",
  "[?optional.of(object.a), 2]",
  "[2, ?object.?a]",
  "[?object.?a, ?object.?a]",
  "{'a': 1, ?'b': object.?a}",
  "{'a': object.a, ?'b': object.?a}",
  "object.?a.hasValue()",
  "object.?z.hasValue()",
  "object.m.?z.hasValue()",
  "object.m.?x.hasValue()",
  "{?'z': object.?z}",
  "{?'a': object.?a}",
  "{'q': 1, ?'z': object.?z}",
  "[?object.?z]",
  "[?object.?a]",
  "[?object.m.?z]",
  "{?'z': object.m.?z}",
  "object.?z.w.hasValue()",
  "object.m[?'z'].hasValue()",
  "object.m[?'x'].hasValue()",
  "object.l[?5].hasValue()",
  "object.l[?1].hasValue()",
  "[?optional.none()]",
  "[?optional.none(), ?optional.none()].size()",
  "[?optional.none(), 1, ?optional.of(2)]",
  "{?1: optional.none(), 2: 3}",
  "has(optional.of(object.m).x)",
  "has({'a': {'b': object.m}}.a.b.x)",
  "object.?z['q'].hasValue()",
  "object.?z.w.v.hasValue()",
  "object.?z.optMap(l, l).hasValue()",
  "object.?a.optMap(l, l + 1).value()",
  "object.?z.optFlatMap(l, optional.of(l)).hasValue()",
  "object.?a.optFlatMap(l, optional.of(l)).hasValue()",
  "object.m.?x.optFlatMap(l, optional.none()).hasValue()",
  "object.m.?x.optMap(l, 5).value()",
  "object.m.?x.optMap(l, l + 'a').value()",
  "object.m.?x.optFlatMap(l, optional.of(l)).value()",
  "[[], [1]]",
  "[{}, {'a': 1}]",
  "[?optional.none(), 1]",
  "[1, ?optional.none()]",
  "'%s'.format([[1, 'a']])",
  "'%s %d'.format(['a', 1])",
  "'%s'.format([{'a': 1, 'b': 'c'}])",
  "[1, 'a'].size()",
  "size([1, 'a'])",
  "[1, 'a'] == [1, 'a']",
  "{'a': 1, 'b': 'c'}",
  "[1, 2.0]",
  "[object.a, object.m]",
  "[[1], ['a']]",
  "[[1], [object.a]]",
  "[object.l, [1]]",
  "[null, 1]",
  "[1, null]",
  "[object.m, {'x': 'y'}]",
  "[optional.of(1), optional.none()]",
  "'%s'.format([[?object.a]])",
];

function fixturePods(): unknown[] {
  const out: unknown[] = [];
  const root = path.join(HERE, '../fixtures/controls');
  for (const d of readdirSync(root)) {
    for (const pf of ['pass', 'fail']) {
      let files: string[] = [];
      try {
        files = readdirSync(path.join(root, d, pf));
      } catch {
        continue;
      }
      for (const f of files) {
        for (const doc of parseAllDocuments(readFileSync(path.join(root, d, pf, f), 'utf8'))) {
          const o = doc.toJSON() as { kind?: string } | null;
          if (o?.kind === 'Pod') out.push(o);
        }
      }
    }
  }
  return out;
}

test('kordon counts the runtime cost of every expression as the API server does', () => {
  const oracle = binaryPath('celcost');
  const cases: Array<{ what: string; expr: string; object: unknown }> = [...LANGUAGE.map((expr) => ({ what: 'language', expr, object: POD })), ...NET.map((expr) => ({ what: 'net', expr, object: NET_OBJECT })), ...OPTIONAL.map((expr) => ({ what: 'optional', expr, object: OPTIONAL_OBJECT }))];
  const pods = fixturePods();
  assert.ok(pods.length > 50, `only ${pods.length} pods in the control fixtures`);
  for (const c of allControls) {
    if (!c.cel || !c.cel.expression.includes('variables.')) continue;
    const expr = c.cel.expression.replaceAll('variables.podSpec', 'object.spec').replaceAll('variables.podMeta', 'object.metadata');
    for (const object of pods) cases.push({ what: c.id, expr, object });
  }
  const input = cases.map((c) => JSON.stringify({ expr: c.expr, object: c.object })).join('\n') + '\n';
  const answers = execFileSync(oracle, { input, maxBuffer: 1 << 28 }).toString().trim().split('\n').map((l) => JSON.parse(l) as { cost?: number; compileError?: string; error?: string });
  assert.equal(answers.length, cases.length);
  const programs = new Map<string, ReturnType<typeof compileCel>>();
  const mismatches: string[] = [];
  let compared = 0;
  for (const [i, c] of cases.entries()) {
    const a = answers[i]!;
    let p = programs.get(c.expr);
    if (!p) programs.set(c.expr, (p = compileCel(c.expr, ['object'])));
    if (a.compileError !== undefined || !p.ok) {
      if ((a.compileError !== undefined) !== !p.ok) mismatches.push(`${c.what}: ${c.expr}: server ${a.compileError ?? 'compiles'}, kordon ${p.ok ? 'compiles' : p.error.message}`);
      continue;
    }
    const r = evaluateCel(p.program, { object: toCel(c.object) }, Number.MAX_SAFE_INTEGER);
    if ((a.error !== undefined) !== !r.ok) {
      mismatches.push(`${c.what}: ${c.expr}: server ${a.error ?? 'evaluates'}, kordon ${r.ok ? 'evaluates' : r.error}`);
      continue;
    }
    if (a.error !== undefined) continue;
    compared++;
    if (a.cost !== r.cost) mismatches.push(`${c.what}: ${c.expr}: server cost ${a.cost}, kordon ${r.cost}`);
  }
  assert.deepEqual([...new Set(mismatches)].slice(0, 30), []);
  assert.ok(compared > 3000, `only ${compared} costs compared`);
});
