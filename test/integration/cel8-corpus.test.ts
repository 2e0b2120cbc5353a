/**
 * `kordon vap` on test/corpus/cel8 (policies shaped like a repository's: variables reused by
 * several validations, optional map entries, has() on a map literal, a format() message with a
 * string and an int, and three policies the API server refuses: cel.bind, a mixed-type list
 * literal, lists includes() before Kubernetes 1.37), for a 1.35 cluster and at 1.37 (the default).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

interface Report {
  results: Array<{ object: { name: string }; policy: string; allowed: boolean; violations: Array<{ message: string }> }>;
  problems: Array<{ line: number; message: string }>;
}

async function vap(...extra: string[]): Promise<Report> {
  // a 1.35 cluster unless the test says otherwise (a later --kube-version wins)
  const r = await runCli(['vap', 'test/corpus/cel8', '-f', 'json', '--kube-version', 'v1.35', ...extra]);
  assert.equal(r.code, 1, r.err);
  return JSON.parse(r.out) as Report;
}

const decisions = (rep: Report, policy: string) =>
  Object.fromEntries(rep.results.filter((x) => x.policy === policy).map((x) => [x.object.name, x.allowed ? 'allowed' : x.violations.map((v) => v.message).join(' | ')]));

test('policies with variables, optional entries and format(): each object judged as the API server would', async () => {
  const rep = await vap();
  assert.deepEqual(decisions(rep, 'team-labels'), {
    web: 'allowed',
    worker: 'worker needs a team label and an owner annotation (has 0 of 2) | images come from registry.example.com | a tiered deployment has a team',
    batch: 'batch needs a team label and an owner annotation (has 0 of 2)',
  });
});

test('what the API server refuses to create is a problem naming the policy, line and reason', async () => {
  const rep = await vap();
  const problems = rep.problems.map((p) => `${p.line}: ${p.message.replace(/ \(expression: .*$/, '')}`);
  assert.deepEqual(problems, [
    `2: ValidatingAdmissionPolicy "uses-bind": validations[0] does not compile: line 1, column 1: undeclared reference to 'cel' (in container ''): cel.bind is not in the API server's CEL environment`,
    `17: ValidatingAdmissionPolicy "mixed-list": validations[0] does not compile: line 1, column 24: expected type 'dyn' but found 'string' (list and map literals have elements of one type)`,
    `32: ValidatingAdmissionPolicy "needs-137": validations[0] does not compile: line 1, column 2: found no matching overload for 'list.includes(string)' (in the CEL environment of Kubernetes 1.37 and later; the target version is 1.35: --kube-version)`,
  ]);
  // its binding fails every object (failurePolicy Fail), as a stored policy that does not compile does
  assert.ok(Object.values(decisions(rep, 'needs-137')).every((d) => d.startsWith('compilation failed')));
});

test('with --kube-version 1.37 the lists includes() of 1.37 compiles and decides', async () => {
  const rep = await vap('--kube-version', '1.37');
  assert.equal(rep.problems.length, 2);
  assert.deepEqual(decisions(rep, 'needs-137'), { web: 'allowed', worker: 'no debug container', batch: 'allowed' });
});
