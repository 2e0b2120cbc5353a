/**
 * The CEL cost limits of ValidatingAdmissionPolicies, kordon against the real kube-apiserver.
 *
 * What the API server checks (k8s.io/kubernetes v1.35.4, pkg/apis/admissionregistration/validation
 * and k8s.io/apiserver/pkg/admission/plugin/cel/compile.go): a ValidatingAdmissionPolicy's
 * expressions are compiled with `object`, `oldObject` and `params` declared `dyn`, and no
 * *estimated* cost is computed for them: a policy is never refused at creation for its cost.
 * The estimated cost check ("estimated rule cost exceeds budget") belongs to CRD
 * `x-kubernetes-validations` rules only (k8s.io/apiextensions-apiserver). A policy's cost is
 * limited while it runs: 1,000,000 per expression, 10,000,000 per binding evaluation.
 *
 * Every case below is created on the server and loaded by kordon: both must accept it (no
 * "estimated cost" problem from kordon). The contrast case, the same nested comprehension as a
 * CRD rule, is refused by the server, proving the harness makes the estimated check where
 * upstream has it. Then pods just under and just over the runtime limit of each policy are sent
 * as server-side dry-run creates and decided by `kordon vap` on the same objects: every decision
 * and the cost-limit error must agree.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { vapDryRun } from '../../src/vap/dry-run.js';
import { compileCel, evaluateCel, toCel } from '../../src/cel/engine.js';
import { PER_CALL_LIMIT } from '../../src/cel/runtime.js';

const RUN = randomBytes(3).toString('hex');
const NS = `vap-cost-${RUN}`;
const VAPS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

interface Case {
  name: string;
  expression: string;
  /** Pods as [label, pod]: the runtime decision of server and kordon are compared on each. */
  pods: Array<{ id: string; spec: Record<string, unknown>; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

const containers = (n: number, nameLen = 3) => Array.from({ length: n }, (_, i) => ({ name: `c${String(i).padStart(nameLen - 1, '0')}`, image: 'registry.example.com/app:1' }));
const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

/** Expressions whose estimated cost (objects unbounded) is far over any budget. */
const CASES: Case[] = [
  {
    name: 'nested-containers',
    expression: 'object.spec.containers.all(c, object.spec.containers.all(d, object.spec.containers.all(e, c.name + d.name != e.name)))',
    pods: [
      { id: 'few', spec: { containers: containers(10) } },
      { id: 'many', spec: { containers: containers(70) } },
    ],
  },
  {
    name: 'nested-labels',
    expression: 'object.metadata.labels.all(k, object.metadata.labels.all(j, object.metadata.labels.all(i, object.metadata.labels[k] + object.metadata.labels[j] != i)))',
    pods: [
      { id: 'few', spec: { containers: containers(1) }, labels: labels(8) },
      { id: 'many', spec: { containers: containers(1) }, labels: labels(70) },
    ],
  },
  {
    name: 'string-ops',
    expression: "!has(object.metadata.annotations) || !('blob' in object.metadata.annotations) || object.metadata.annotations['blob'].split('').all(ch, object.metadata.annotations['blob'].split('').exists(x, x == ch))",
    pods: [
      { id: 'short', spec: { containers: containers(1) }, annotations: { blob: 'abcdefghij'.repeat(5) } },
      { id: 'long', spec: { containers: containers(1) }, annotations: { blob: 'abcdefghij'.repeat(300) } },
    ],
  },
];

/**
 * Shapes whose pods are sized to kordon's own cost count exactly at the limit: `pad` is an
 * annotation whose length moves the cost by one unit per 10 characters (`lowerAscii`), so the
 * pod with the longest pad kordon allows (cost <= 1,000,000) and the same pod with one more
 * character (over it) must be allowed and cancelled by the server as well: the two counts agree
 * to the unit.
 */
const PAD = "object.metadata.annotations['pad'].lowerAscii() != 'x'";
const BOUNDARY: Array<{ name: string; main: string; pad?: string; n: number; base: (n: number) => Omit<Case['pods'][number], 'id'> }> = [
  {
    name: 'edge-nested',
    main: "object.spec.containers.all(c, object.spec.containers.all(d, c.name + d.name != '' && c.image.startsWith('registry')))",
    n: 275,
    base: (n) => ({ spec: { containers: containers(n) } }),
  },
  {
    name: 'edge-map-filter',
    main: "object.spec.containers.map(c, c.name).filter(n, object.spec.containers.exists(c, c.name == n && c.name.matches('^c[0-9]+$'))).size() > 0",
    n: 492,
    base: (n) => ({ spec: { containers: containers(n) } }),
  },
  {
    name: 'edge-two-var',
    main: 'object.spec.containers.all(i, c, object.spec.containers.exists(j, d, i == j && c.name == d.name))',
    pad: "object.metadata.?annotations[?'pad'].optMap(p, p.lowerAscii()).orValue('') != 'x'",
    n: 529,
    base: (n) => ({ spec: { containers: containers(n) } }),
  },
  {
    name: 'edge-labels',
    main: "object.metadata.labels.all(k, object.metadata.labels.exists_one(j, j == k) && object.metadata.labels[k].size() < 20) && object.metadata.labels.filter(k, k.startsWith('k')).size() >= 0",
    n: 568,
    base: (n) => ({ spec: { containers: containers(1) }, labels: labels(n) }),
  },
];

/**
 * The pods on either side of the limit for one shape, by kordon's count: the most elements
 * whose cost leaves 10,000 to 20,000 units to the pad, then the longest pad kordon allows
 * (the main part and the pad are counted apart: `&&` adds nothing).
 */
function boundaryPods(b: (typeof BOUNDARY)[number]): [Case['pods'][number], Case['pods'][number]] {
  const compile = (e: string) => {
    const c = compileCel(e, ['object']);
    if (!c.ok) throw new Error(`${b.name}: ${c.error.message}`);
    return c.program;
  };
  const main = compile(b.main);
  const pad = compile(b.pad ?? PAD);
  const object = (n: number, padLength: number) => {
    const base = b.base(n);
    return toCel({ metadata: { name: 'x', labels: { ...(base.labels ?? {}), case: b.name }, annotations: { pad: 'a'.repeat(padLength) } }, spec: base.spec });
  };
  const cost = (p: typeof main, o: unknown): number => {
    const r = evaluateCel(p, { object: o }, Number.MAX_SAFE_INTEGER);
    assert.ok(r.ok && r.value === true, `${b.name}: ${JSON.stringify(r)}`);
    return r.cost;
  };
  let n = b.n;
  if (!n) {
    // found once and kept in the table (evaluations near the limit take a tenth of a second each)
    let lo = 1;
    let hi = 4096;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (cost(main, object(mid, 0)) <= PER_CALL_LIMIT - 10_000) lo = mid;
      else hi = mid - 1;
    }
    n = lo;
    if (process.env['KORDON_DEBUG_COST']) console.error(b.name, 'n =', n);
  }
  const mainCost = cost(main, object(n, 0));
  assert.ok(mainCost <= PER_CALL_LIMIT - 10_000 && mainCost > PER_CALL_LIMIT - 30_000, `${b.name}: ${n} elements cost ${mainCost}: adjust n`);
  const padCost = (len: number): number => cost(pad, object(0, len));
  let lo = 1;
  let hi = 10 * (PER_CALL_LIMIT - mainCost) + 100;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (mainCost + padCost(mid) <= PER_CALL_LIMIT) lo = mid;
    else hi = mid - 1;
  }
  assert.ok(mainCost + padCost(lo) <= PER_CALL_LIMIT && mainCost + padCost(lo + 1) > PER_CALL_LIMIT, `${b.name}: no boundary found`);
  const pod = (id: string, len: number): Case['pods'][number] => ({ id, ...b.base(n), annotations: { pad: 'a'.repeat(len) } });
  return [pod('at-limit', lo), pod('over-limit', lo + 1)];
}

for (const b of BOUNDARY) {
  const t = Date.now();
  CASES.push({ name: b.name, expression: `${b.main} && ${b.pad ?? PAD}`, pods: boundaryPods(b) });
  if (process.env['KORDON_DEBUG_COST']) console.error(b.name, Date.now() - t, 'ms');
}

/**
 * The policy budget (10,000,000 per binding evaluation) with `variables`, as the API server's
 * composition context charges them: each variable is evaluated once, on first use, under its own
 * per-call limit, cached for the rest of the validations, and its cost charged to the policy
 * after the validation that first used it. Ten heavy variables (`matches` with long patterns on
 * a 9,999-character annotation: nearly 1,000,000 each, under the per-call limit, about
 * 9,990,000 together) are used by several validations each; `fine` (one unit per 10 characters
 * of `pad`) brings the total to exactly 10,000,000 (allowed) and 10,000,001 (out of budget).
 * Charging a variable at each use, or counting it into the expression that uses it, would
 * refuse the pod at the limit; forgetting variables, allow the one over it.
 */
const HEAVY = 10;
const BIG = 9_999;
/** A pattern of exactly `4 * units` characters matching `a+`, different for each variable. */
const heavyPattern = (i: number, units: number): string => {
  const head = '^(?:a+';
  const tail = ')$';
  let body = '';
  for (let j = 0; head.length + body.length + tail.length < 4 * units; j++) body += `|h${i}x${j}`;
  const re = head + body + tail;
  // trim a filler to land on the exact length
  const extra = re.length - 4 * units;
  return extra === 0 ? re : head + body.slice(0, body.length - extra - 1) + 'q' + tail;
};
const VARIABLE_POLICY = (units: number[]) => ({
  variables: [
    ...units.map((u, i) => ({ name: `h${i}`, expression: `object.metadata.annotations['big'].matches('${heavyPattern(i, u)}')` })),
    { name: 'fine', expression: "object.metadata.annotations['pad'].lowerAscii() != 'x'" },
  ],
  validations: [
    { expression: Array.from({ length: HEAVY / 2 }, (_, i) => `variables.h${i}`).join(' && '), message: 'first half' },
    { expression: ['variables.h0', ...Array.from({ length: HEAVY / 2 }, (_, i) => `variables.h${i + HEAVY / 2}`)].join(' && '), message: 'second half' },
    { expression: 'variables.h1 && variables.h9 && variables.fine', message: 'fine' },
    { expression: `[${Array.from({ length: HEAVY }, (_, i) => `variables.h${i}`).join(', ')}].all(x, x)`, message: 'all of them again' },
  ],
});
const HEAVY_UNITS = [999, 999, 999, 999, 999, 999, 999, 999, 999, 994];

/** kordon's count of one evaluation: every variable once, every validation's own cost. */
function variablePolicyCost(spec: ReturnType<typeof VARIABLE_POLICY>, object: unknown): number {
  const compile = (e: string, vars: string[]) => {
    const c = compileCel(e, vars);
    if (!c.ok) throw new Error(`${e.slice(0, 80)}: ${c.error.message}`);
    return c.program;
  };
  let total = 0;
  const values: Record<string, unknown> = {};
  for (const v of spec.variables) {
    const r = evaluateCel(compile(v.expression, ['object']), { object }, PER_CALL_LIMIT);
    assert.ok(r.ok && r.value === true && r.cost <= PER_CALL_LIMIT, `${v.name}: ${JSON.stringify(r).slice(0, 200)}`);
    values[v.name] = r.value;
    total += r.cost;
  }
  for (const v of spec.validations) {
    const r = evaluateCel(compile(v.expression, ['object', 'variables']), { object, variables: values }, PER_CALL_LIMIT);
    assert.ok(r.ok && r.value === true);
    total += r.cost;
  }
  return total;
}

/** The variable policies' pods have names of one length: the message costs the same on each. */
const variablePodName = (id: string): string => `variables-${id.padEnd(11, 'x')}`;

/** The message expression of the second variable policy (on a validation that passes). */
const MESSAGE = "'missing for ' + object.metadata.name";

/**
 * Pods for the variable policies by kordon's count: at exactly the budget and one unit over
 * (validations only); and for the policy with a messageExpression, validations leaving exactly
 * the message's cost (allowed) and one unit less (the server evaluates every messageExpression,
 * also of validations that pass, with what the validations left: out of budget, the policy
 * fails with "failed messageExpression").
 */
function variablePods(): { spec: ReturnType<typeof VARIABLE_POLICY>; pods: Array<{ id: string; policy: 'variables' | 'variables-message'; annotations: Record<string, string>; cost: number }> } {
  const spec = VARIABLE_POLICY(HEAVY_UNITS);
  const object = (pad: number) => toCel({ metadata: { name: 'x', annotations: { big: 'a'.repeat(BIG), pad: 'a'.repeat(pad) } } });
  const cost = (pad: number) => variablePolicyCost(spec, object(pad));
  const base = cost(1);
  assert.ok(base < 10_000_000 - 1000 && base > 10_000_000 - 20_000, `the heavy variables cost ${base}: adjust HEAVY_UNITS`);
  // the longest pad at or under the budget, by kordon's count (one unit per 10 characters)
  let lo = 1;
  let hi = (10_000_000 - base) * 10 + 100;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(mid) <= 10_000_000) lo = mid;
    else hi = mid - 1;
  }
  assert.equal(cost(lo), 10_000_000);
  assert.equal(cost(lo + 1), 10_000_001);
  // the message's cost on these pods (their names are as long as each other)
  const m = compileCel(MESSAGE, ['object']);
  assert.ok(m.ok);
  const message = evaluateCel(m.program, { object: toCel({ metadata: { name: variablePodName('msg-fits') } }) });
  assert.ok(message.ok && message.cost > 1);
  const fits = lo - 10 * message.cost;
  assert.equal(cost(fits), 10_000_000 - message.cost);
  assert.equal(cost(fits + 1), 10_000_000 - message.cost + 1);
  const annotations = (pad: number) => ({ big: 'a'.repeat(BIG), pad: 'a'.repeat(pad) });
  return {
    spec,
    pods: [
      { id: 'at-budget', policy: 'variables', annotations: annotations(lo), cost: 10_000_000 },
      { id: 'over-budget', policy: 'variables', annotations: annotations(lo + 1), cost: 10_000_001 },
      // validations and the message together
      { id: 'msg-fits', policy: 'variables-message', annotations: annotations(fits), cost: 10_000_000 },
      { id: 'msg-over', policy: 'variables-message', annotations: annotations(fits + 1), cost: 10_000_001 },
    ],
  };
}

function policy(c: Case): K8sObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: `cost-${c.name}-${RUN}` },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        namespaceSelector: { matchLabels: { 'kordon-vap-cost': RUN } },
        objectSelector: { matchLabels: { case: c.name } },
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
      },
      validations: [{ expression: c.expression, message: `${c.name} says no` }],
    },
  } as K8sObject;
}

function binding(c: Case): K8sObject {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `cost-${c.name}-${RUN}` }, spec: { policyName: `cost-${c.name}-${RUN}`, validationActions: ['Deny'] } } as K8sObject;
}

function pod(c: Case, p: Case['pods'][number]): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${c.name}-${p.id}`, namespace: NS, labels: { ...(p.labels ?? {}), case: c.name }, ...(p.annotations ? { annotations: p.annotations } : {}) },
    spec: p.spec,
  } as K8sObject;
}

describe('VAP cost limits agree with the kube-apiserver', () => {
  let cp: ControlPlaneInfo;
  let release: () => Promise<void>;
  const made: string[] = [];

  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'kordon-vap-cost': RUN } } });
    assert.ok(r.status < 300, r.text);
    made.push(`/api/v1/namespaces/${NS}`);
  });

  after(async () => {
    for (const p of made.reverse()) await apiRequest(cp, 'admin', 'DELETE', p).catch(() => undefined);
    await release?.();
  });

  it('no policy is refused for its estimated cost, by the server or by kordon; a CRD rule is', async () => {
    const inv = new Inventory(CASES.map((c, i) => ({ object: policy(c), origin: { source: 'cost.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
    const report = vapDryRun(inv, { objects: [] });
    assert.deepEqual(report.problems.map((p) => p.message), [], 'kordon accepts every policy');
    for (const c of CASES) {
      const r = await apiRequest(cp, 'admin', 'POST', VAPS, policy(c));
      assert.equal(r.status, 201, `the server accepts ${c.name}: ${r.text.slice(0, 300)}`);
      made.push(`${VAPS}/cost-${c.name}-${RUN}`);
      const b = await apiRequest(cp, 'admin', 'POST', BINDINGS, binding(c));
      assert.equal(b.status, 201, b.text.slice(0, 300));
      made.push(`${BINDINGS}/cost-${c.name}-${RUN}`);
    }
    // the contrast: the same nested comprehension as a CRD validation rule is refused by its estimated cost
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `probes${RUN}.cost.kordon.dev` },
      spec: {
        group: 'cost.kordon.dev',
        scope: 'Namespaced',
        names: { plural: `probes${RUN}`, singular: `probe${RUN}`, kind: `Probe${RUN}` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.names.all(c, self.names.all(d, self.names.all(e, c + d != e)))' }], properties: { names: { type: 'array', items: { type: 'string' } } } } } } } }],
      },
    };
    const r = await apiRequest(cp, 'admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All', crd);
    assert.equal(r.status, 422, r.text.slice(0, 300));
    assert.match(String(r.body?.message), /estimated rule cost exceeds budget/);
  });

  it('pods under and over the runtime limit: every decision agrees', async () => {
    const objects = CASES.flatMap((c) => c.pods.map((p) => pod(c, p)));
    const all = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'kordon-vap-cost': RUN } } } as K8sObject, ...CASES.flatMap((c) => [policy(c), binding(c)]), ...objects];
    const inv = new Inventory(all.map((object, i) => ({ object: JSON.parse(JSON.stringify(object)) as K8sObject, origin: { source: 'cost.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
    const candidates = inv.objects.slice(all.length - objects.length);
    const report = vapDryRun(inv, { dryRun: true, objects: candidates });
    // the policies become active through the server's informer: wait for the first denial
    const probe = objects.find((o) => o.metadata.name === 'nested-containers-many')!;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, probe);
      if (r.status >= 400) break;
      if (Date.now() > deadline) throw new Error('the policies never became active');
      await new Promise((res) => setTimeout(res, 250));
    }
    const lines: string[] = [];
    let denied = 0;
    for (const [i, o] of objects.entries()) {
      const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, o);
      const serverAllowed = r.status === 201;
      const serverCost = /operation cancelled: actual cost limit exceeded/.test(String(r.body?.message ?? ''));
      const mine = report.results.filter((x) => x.object.line === all.length - objects.length + i + 1);
      assert.equal(mine.length, 1, `${o.metadata.name} is judged by one policy`);
      const kordonAllowed = mine[0]!.allowed;
      const kordonCost = mine[0]!.violations.some((v) => v.message.includes('operation cancelled: actual cost limit exceeded'));
      if (!serverAllowed) denied++;
      lines.push(`${o.metadata.name}: server ${serverAllowed ? 'allowed' : 'denied'}${serverCost ? ' (cost)' : ''}, kordon ${kordonAllowed ? 'allowed' : 'denied'}${kordonCost ? ' (cost)' : ''}`);
    }
    const disagreements = lines.filter((l) => {
      const [, s, k] = /server (.*), kordon (.*)$/.exec(l)!;
      return s !== k;
    });
    assert.deepEqual(disagreements, [], lines.join('\n'));
    assert.ok(denied >= CASES.length, `every policy is over its limit for one pod:\n${lines.join('\n')}`);
    for (const b of BOUNDARY) {
      assert.ok(lines.includes(`${b.name}-at-limit: server allowed, kordon allowed`), lines.join('\n'));
      assert.ok(lines.includes(`${b.name}-over-limit: server denied (cost), kordon denied (cost)`), lines.join('\n'));
    }
    assert.ok(denied < objects.length, `and under it for another:\n${lines.join('\n')}`);
  });

  it('a variable-heavy policy at exactly the policy budget and one unit over, with and without a messageExpression: both agree', async () => {
    const { spec, pods } = variablePods();
    const vap = (kind: 'variables' | 'variables-message'): K8sObject =>
      ({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: `cost-${kind}-${RUN}` },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            namespaceSelector: { matchLabels: { 'kordon-vap-cost': RUN } },
            objectSelector: { matchLabels: { case: kind } },
            resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
          },
          variables: spec.variables,
          validations: kind === 'variables' ? spec.validations : spec.validations.map((v, i) => (i === 0 ? { ...v, messageExpression: MESSAGE } : v)),
        },
      }) as K8sObject;
    const binding = (kind: string): K8sObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `cost-${kind}-${RUN}` }, spec: { policyName: `cost-${kind}-${RUN}`, validationActions: ['Deny'] } }) as K8sObject;
    const admission = [vap('variables'), binding('variables'), vap('variables-message'), binding('variables-message')];
    for (const o of admission) {
      const path = o.kind === 'ValidatingAdmissionPolicy' ? VAPS : BINDINGS;
      const r = await apiRequest(cp, 'admin', 'POST', path, o);
      assert.equal(r.status, 201, r.text.slice(0, 300));
      made.push(`${path}/${o.metadata.name}`);
    }
    const objects = pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: variablePodName(p.id), namespace: NS, labels: { case: p.policy }, annotations: p.annotations }, spec: { containers: containers(1) } }) as K8sObject);
    const all = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'kordon-vap-cost': RUN } } } as K8sObject, ...admission, ...objects];
    const inv = new Inventory(all.map((object, i) => ({ object: JSON.parse(JSON.stringify(object)) as K8sObject, origin: { source: 'variables.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
    const first = all.length - objects.length;
    const report = vapDryRun(inv, { dryRun: true, objects: inv.objects.slice(first) });
    // the policies become active through the server's informer: wait for both to deny their pod over the budget
    const deadline = Date.now() + 60_000;
    for (const probe of [objects[1]!, objects[3]!]) {
      for (;;) {
        const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, probe);
        if (r.status >= 400) break;
        if (Date.now() > deadline) throw new Error('the policies never became active');
        await new Promise((res) => setTimeout(res, 250));
      }
    }
    const why = (m: string) => (/failed messageExpression/.test(m) ? ' (message budget)' : /running out of cost budget/.test(m) ? ' (budget)' : '');
    const lines: string[] = [];
    for (const [i, o] of objects.entries()) {
      const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, o);
      const mine = report.results.filter((x) => x.object.line === first + i + 1);
      assert.equal(mine.length, 1);
      const kordonWhy = mine[0]!.violations.map((v) => why(v.message)).find((x) => x) ?? '';
      lines.push(`${pods[i]!.id} (cost ${pods[i]!.cost}): server ${r.status === 201 ? 'allowed' : 'denied'}${why(String(r.body?.message ?? ''))}, kordon ${mine[0]!.allowed ? 'allowed' : 'denied'}${kordonWhy}`);
    }
    assert.deepEqual(lines, [
      'at-budget (cost 10000000): server allowed, kordon allowed',
      'over-budget (cost 10000001): server denied (budget), kordon denied (budget)',
      'msg-fits (cost 10000000): server allowed, kordon allowed',
      'msg-over (cost 10000001): server denied (message budget), kordon denied (message budget)',
    ]);
  });
});
