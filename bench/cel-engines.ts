/**
 * CEL engines compared (docs/adr/0011-cel-engine.md): conformance on the cel-spec suite's
 * expressible cases (test/fixtures/cel/conformance.ts) and evaluation speed on Kubernetes-shaped
 * expressions over a Pod, for kordon's engine (@marcbachmann/cel-js with the Kubernetes
 * libraries) and, when installed, @bufbuild/cel (not a dependency:
 * `npm install --no-save @bufbuild/cel @bufbuild/protobuf` first). Also the dry run's speed:
 * `kordon vap` over generated policies × objects.
 *
 *   node --import tsx bench/cel-engines.ts
 */
import { compileCel, evaluateCel, toCel } from '../src/cel/engine.js';
import { inventoryOf } from '../src/scan.js';
import type { K8sObject } from '../src/inventory/types.js';
import { vapDryRun } from '../src/vap/dry-run.js';
import { conformanceCases, passes } from '../test/fixtures/cel/conformance.js';

const EXPRESSIONS: Record<string, string> = {
  'no privileged containers': 'object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)',
  'team label': "has(object.metadata.labels) && 'team' in object.metadata.labels && object.metadata.labels['team'].startsWith('pay')",
  'ports above 8081': 'object.spec.containers.exists(c, c.ports.exists(p, p.containerPort > 8081))',
  'trusted registry (regex)': "object.spec.containers.all(c, c.image.matches('^registry\\\\.example\\\\.com/[a-z-]+:[0-9.]+$'))",
  'memory below 1Gi (quantity)': "object.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))",
};

function pod(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'payments' } },
    spec: { containers: Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, image: `registry.example.com/app:1.${i}`, securityContext: { privileged: false }, ports: [{ containerPort: 8080 + i }], resources: { limits: { memory: `${256 * (i + 1)}Mi` } } })) },
  };
}

function time(n: number, f: () => unknown): number {
  for (let i = 0; i < Math.min(1000, n); i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / n / 1000; // µs
}

async function main(): Promise<void> {
  const cases = conformanceCases();
  const ours = cases.filter(passes).length;
  console.log(`conformance (cel-spec cases without protobuf messages: ${cases.length})`);
  console.log(`  kordon (@marcbachmann/cel-js + Kubernetes libraries): ${ours} pass (${((ours / cases.length) * 100).toFixed(1)}%)`);
  type Buf = { run: (e: string, v: Record<string, unknown>, o?: unknown) => unknown; parse: (e: string) => unknown; plan: (env: unknown, p: unknown) => (v: unknown) => unknown; celEnv: () => unknown; isCelError?: (v: unknown) => boolean };
  let buf: Buf | undefined;
  try {
    buf = (await import('@bufbuild/cel' as string)) as Buf;
  } catch {
    console.log('  @bufbuild/cel: not installed (npm install --no-save @bufbuild/cel @bufbuild/protobuf to compare)');
  }
  if (buf) {
    const { toValue, actualText, expectedText } = await import('../test/fixtures/cel/conformance.js');
    let ok = 0;
    for (const c of cases) {
      try {
        const vars = Object.fromEntries(Object.entries(c.bindings).map(([k, v]) => [k, v.t === 'int' ? v.v : v.t === 'list' || v.t === 'map' || v.t === 'uint' || v.t === 'bytes' ? undefined : toValue(v)]));
        if (Object.values(vars).some((v) => v === undefined)) continue;
        const r = buf.run(c.expr, vars);
        const err = r instanceof Error || (buf.isCelError?.(r) ?? false);
        if (err ? c.value === undefined : c.value !== undefined && actualText(r) === expectedText(c.value)) ok++;
      } catch {
        if (c.value === undefined) ok++;
      }
    }
    console.log(`  @bufbuild/cel (its own strings extension, no Kubernetes libraries): ${ok} pass (${((ok / cases.length) * 100).toFixed(1)}%)`);
  }
  const object = pod();
  const celObject = toCel(object);
  console.log('\nevaluation over a 4-container Pod, µs per evaluation (compile once)');
  for (const [name, expr] of Object.entries(EXPRESSIONS)) {
    const c = compileCel(expr, ['object']);
    if (!c.ok) throw new Error(`${name}: ${c.error.message}`);
    const ev = time(50_000, () => evaluateCel(c.program, { object: celObject }));
    const compile = time(500, () => compileCel(expr, ['object']));
    let line = `  ${name.padEnd(30)} kordon ${ev.toFixed(2)} (compile ${compile.toFixed(0)})`;
    if (buf) {
      try {
        const b = buf;
        const plan = b.plan(b.celEnv(), b.parse(expr));
        const bv = time(20_000, () => plan({ object }));
        const bc = time(200, () => b.plan(b.celEnv(), b.parse(expr)));
        line += `   @bufbuild/cel ${bv.toFixed(2)} (compile ${bc.toFixed(0)})`;
      } catch (e) {
        line += `   @bufbuild/cel: ${(e as Error).message.split('\n')[0]}`;
      }
    }
    console.log(line);
  }
  // the dry run: P policies (one validation each) × N objects
  for (const [policies, objects] of [[10, 1000], [50, 2000]] as const) {
    const items: K8sObject[] = [];
    for (let p = 0; p < policies; p++) {
      items.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: `p${p}` }, spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [{ expression: Object.values(EXPRESSIONS)[p % 5]!, message: `rule ${p}` }] } });
      items.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `p${p}` }, spec: { policyName: `p${p}`, validationActions: ['Deny'] } });
    }
    for (let i = 0; i < objects; i++) items.push({ ...pod(), metadata: { name: `web-${i}`, namespace: `ns-${i % 20}`, labels: { app: 'web', team: i % 3 ? 'payments' : 'search' } } });
    const inv = inventoryOf(items.map((object, i) => ({ object, origin: { source: 'bench.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
    const t = process.hrtime.bigint();
    const r = vapDryRun(inv);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`\nvap dry run: ${policies} policies × ${objects} pods = ${r.results.length} decisions in ${ms.toFixed(0)} ms (${((ms * 1000) / r.results.length).toFixed(1)} µs per decision)`);
  }
}

await main();
