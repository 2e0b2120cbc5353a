import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePullPolicy, parseImageRef } from '../../src/controls/support/images.js';
import { credentialFlagsIn, credentialKindOfName, credentialKindsOfValue, credentialsInText, isPlaceholderValue, sortedKeys } from '../../src/controls/support/credentials.js';
import { exposedSensitivePath, normalizeHostPath, RUNTIME_SOCKETS } from '../../src/controls/support/host-paths.js';
import { celAllContainers } from '../../src/controls/support/cel.js';

test('image references split into registry, repository, tag and digest', () => {
  assert.deepEqual(parseImageRef('nginx'), { repository: 'nginx' });
  assert.deepEqual(parseImageRef('library/nginx:1.27'), { repository: 'library/nginx', tag: '1.27' });
  assert.deepEqual(parseImageRef('registry.example.com:5000/team/app'), { registry: 'registry.example.com:5000', repository: 'team/app' });
  assert.deepEqual(parseImageRef('localhost/app:dev@sha256:abc'), { registry: 'localhost', repository: 'app', tag: 'dev', digest: 'sha256:abc' });
  assert.equal(parseImageRef('team/app:1').registry, undefined);
});

test('the default pull policy follows the API server defaulting', () => {
  assert.equal(effectivePullPolicy('app', undefined), 'Always');
  assert.equal(effectivePullPolicy('app:latest', undefined), 'Always');
  assert.equal(effectivePullPolicy('app:1.0', undefined), 'IfNotPresent');
  assert.equal(effectivePullPolicy('app@sha256:abc', undefined), 'IfNotPresent');
  assert.equal(effectivePullPolicy('app:1.0', 'Never'), 'Never');
});

test('credential key names are recognised at the end of the name only', () => {
  assert.equal(credentialKindOfName('DB_PASSWORD'), 'password');
  assert.equal(credentialKindOfName('dbPassword'), 'password');
  assert.equal(credentialKindOfName('spring.datasource.password'), 'password');
  assert.equal(credentialKindOfName('GITHUB_TOKEN'), 'token');
  assert.equal(credentialKindOfName('stripe-api-key'), 'API key');
  assert.equal(credentialKindOfName('AWS_SECRET_ACCESS_KEY'), 'access key');
  assert.equal(credentialKindOfName('client_secret'), 'secret');
  assert.equal(credentialKindOfName('DB_PWD'), 'password');
  for (const name of ['PWD', 'TOKEN_TTL', 'SECRET_NAME', 'PASSWORD_FILE', 'existingSecret', 'fromSecret', 'AWS_ACCESS_KEY_ID', 'LOG_LEVEL']) {
    assert.equal(credentialKindOfName(name), undefined, name);
  }
});

test('placeholders are not credentials', () => {
  for (const v of ['', '$(DB_PASSWORD)', '${DB_PASSWORD}', '$TOKEN', '{{ .Values.token }}', '<your-token>', 'true', '****']) assert.ok(isPlaceholderValue(v), v);
  assert.ok(!isPlaceholderValue('hunter2'));
});

/** Both directions of the credential detectors, one row each: the value, whether it is a placeholder, the formats it has. */
const CREDENTIAL_TABLE: Array<[value: string, placeholder: boolean, formats: string[]]> = [
  // placeholders: filled in by the user or a tool, never a credential
  ['INSERT_SLACK_TOKEN', true, []],
  ['INSERT_YOUR_GITHUB_TOKEN_HERE', true, []],
  ['<password>', true, []],
  ['changeme', true, []],
  ['CHANGE_ME', true, []],
  ['${VAR}', true, []],
  ['{{ .Values.x }}', true, []],
  ['{{.Values.db.password}}', true, []],
  ['xxx', true, []],
  ['XXXXXXXXXXXX', true, []],
  ['REPLACE_ME', true, []],
  ['replace-with-your-key', true, []],
  ['example', true, []],
  ['dummy', true, []],
  ['dummy-password', true, []],
  ['your-api-key-here', true, []],
  ['YOUR_TOKEN', true, []],
  ['token-goes-here', true, []],
  ['Bearer ${TOKEN}', true, []],
  ['Bearer <token>', true, []],
  ['__API_TOKEN__', true, []],
  ['', true, []],
  ['   ', true, []],
  ['AKIAXXXXXXXXXXXXXXXX', false, []],
  ['ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', false, []],
  // a URL whose password is a reference: literal text around it, but no credential in it
  ['postgres://app:${DB_PASSWORD}@db:5432/app', false, []],
  ['postgres://app:<password>@db:5432/app', false, []],
  // real credentials: kept
  ['AKIAIOSFODNN7EXAMPLE', false, ['AWS access key id']],
  ['-----BEGIN OPENSSH PRIVATE KEY-----', false, ['private key (PEM)']],
  ['ghp_0123456789abcdefghijABCDEFGHIJ012345', false, ['GitHub token']],
  ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', false, ['JSON Web Token']],
  ['postgres://app:S3cretPw@db:5432/app', false, ['URL with embedded password']],
  ['mongodb://root:example1@mongo:27017', false, ['URL with embedded password']],
  ['password', false, []],
  ['postgres', false, []],
  ['hunter2', false, []],
  ['my-secret-password', false, []],
  ['REDACTED', false, []],
  ['prefix${X}suffix', false, []],
  ['$dex.github.clientSecret', true, []],
  ['$argocd-secret:webhook.github.secret', true, []],
  ['$ecret!Passw0rd', false, []],
];

test('credential table: placeholders are not credentials, real credentials are found', () => {
  for (const [value, placeholder, formats] of CREDENTIAL_TABLE) {
    assert.equal(isPlaceholderValue(value), placeholder, `isPlaceholderValue(${JSON.stringify(value)})`);
    assert.deepEqual(credentialKindsOfValue(value), formats, `credentialKindsOfValue(${JSON.stringify(value)})`);
  }
  // multi-line text is judged line by line, never as one placeholder
  assert.ok(!isPlaceholderValue('url=${URL}\npassword=hunter22'));
  assert.deepEqual(credentialsInText('url=${URL}\npassword=hunter22\ntoken=INSERT_TOKEN_HERE\napi_key=<key>'), [{ kind: 'password', setting: 'password' }]);
  assert.deepEqual(credentialFlagsIn(['--token=INSERT_API_TOKEN_HERE', '--password', 'changeme', '--kubeconfig=/var/lib/kubelet/kubeconfig', '--api-key=abc123def']), ['--api-key']);
});

test('credential formats are recognised by value, and reported by kind only', () => {
  assert.deepEqual(credentialKindsOfValue('AKIAIOSFODNN7EXAMPLE'), ['AWS access key id']);
  assert.deepEqual(credentialKindsOfValue('-----BEGIN RSA PRIVATE KEY-----\nMII...'), ['private key (PEM)']);
  assert.deepEqual(credentialKindsOfValue('ghp_0123456789abcdefghijABCDEFGHIJ012345'), ['GitHub token']);
  assert.deepEqual(credentialKindsOfValue('glpat-abcdefghij0123456789'), ['GitLab personal access token']);
  assert.deepEqual(credentialKindsOfValue('xoxb-1234567890-abcdefghij'), ['Slack token']);
  assert.deepEqual(credentialKindsOfValue('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'), ['JSON Web Token']);
  assert.deepEqual(credentialKindsOfValue('mongodb://admin:s3cret@db:27017'), ['URL with embedded password']);
  assert.deepEqual(credentialKindsOfValue('postgres://app:$(DB_PASSWORD)@db/app'), []);
  assert.deepEqual(credentialKindsOfValue('https://example.com/path?x=1'), []);
});

test('config files: literal credential settings are found, references are not', () => {
  const text = ['db.user=app', 'db.password=hunter22', 'api_key: "${API_KEY}"', '"clientSecret": "abc123def",', 'password:', '  fromSecret: db'].join('\n');
  const hits = credentialsInText(text);
  assert.deepEqual(hits, [{ kind: 'secret', setting: 'clientSecret' }, { kind: 'password', setting: 'db.password' }]);
  assert.ok(!JSON.stringify(hits).includes('hunter22'));
});

test('command-line flags with literal credentials', () => {
  assert.deepEqual(credentialFlagsIn(['--password=x1', '--token', 'abc', '--api-key=$(KEY)', '--secret-name', 'db', '-v']), ['--password', '--token']);
  assert.deepEqual(credentialFlagsIn(['sh', '-c', 'app --password=x1 --listen :80']), ['--password']);
});

test('host paths expose a sensitive path when equal, inside or above it', () => {
  assert.equal(normalizeHostPath('/var//run/./docker.sock/'), '/var/run/docker.sock');
  assert.equal(normalizeHostPath('/var/log/../lib'), '/var/lib');
  assert.equal(exposedSensitivePath('/var/run', RUNTIME_SOCKETS), '/var/run/docker.sock');
  assert.equal(exposedSensitivePath('/etc/ssl', ['/etc']), '/etc');
  assert.equal(exposedSensitivePath('/var', ['/var/lib/kubelet']), '/var/lib/kubelet');
  assert.equal(exposedSensitivePath('/var', ['/var/log'], { ancestors: false }), undefined);
  assert.equal(exposedSensitivePath('/etcd', ['/etc']), undefined);
});

test('CEL helper covers every container list', () => {
  // over the generated policy's podSpec variable (any workload kind; src/controls/support/cel.ts)
  assert.equal(celAllContainers('P(c)', ['containers', 'initContainers']), '(!has(variables.podSpec.containers) || variables.podSpec.containers.all(c, P(c))) && (!has(variables.podSpec.initContainers) || variables.podSpec.initContainers.all(c, P(c)))');
});

test('sortedKeys orders keys as Array.prototype.sort does, small maps and large', () => {
  const small = { b: 1, 'a/b': 2, A: 3, a: 4, 'é': 5, '10': 6, '9': 7 };
  assert.deepEqual(sortedKeys(small), Object.keys(small).sort());
  const large: Record<string, number> = {};
  for (let i = 0; i < 40; i++) large[`k${(i * 7919) % 97}-${i}`] = i;
  assert.deepEqual(sortedKeys(large), Object.keys(large).sort());
  assert.deepEqual(sortedKeys({}), []);
});

test('parsed image references are shared and read-only (many pods name the same image)', () => {
  const a = parseImageRef('registry.example.com:5000/team/app:1.2@sha256:abc');
  assert.equal(parseImageRef('registry.example.com:5000/team/app:1.2@sha256:abc'), a);
  assert.ok(Object.isFrozen(a));
  assert.deepEqual(a, { registry: 'registry.example.com:5000', repository: 'team/app', tag: '1.2', digest: 'sha256:abc' });
});

test('operator-made pods: known pod-making kinds and custom resources with pod fields, never built-in or config-only kinds', async () => {
  const { makesPods } = await import('../../src/controls/support/operator-pods.js');
  const cr = (apiVersion: string, kind: string, spec: unknown) => ({ apiVersion, kind, metadata: { name: 'x' }, spec }) as never;
  assert.ok(makesPods(cr('monitoring.coreos.com/v1', 'Prometheus', {})));
  assert.ok(makesPods(cr('monitoring.coreos.com/v1', 'Alertmanager', undefined)));
  assert.ok(makesPods(cr('db.example.io/v1', 'Database', { replicas: 3 })));
  assert.ok(makesPods(cr('db.example.io/v1', 'Database', { podTemplate: { spec: {} } })));
  assert.ok(!makesPods(cr('monitoring.coreos.com/v1', 'ServiceMonitor', { selector: {}, endpoints: [] })));
  assert.ok(!makesPods(cr('cert-manager.io/v1', 'Certificate', { secretName: 's', issuerRef: { name: 'i' } })));
  assert.ok(!makesPods(cr('apps/v1', 'Deployment', { replicas: 1, template: {} })));
  assert.ok(!makesPods(cr('gateway.networking.k8s.io/v1', 'HTTPRoute', { parentRefs: [] })));
});

test('Services select workloads by every pair of their selector, numbers as the API server stores them (the index looks candidates up by one pair)', async () => {
  const { parseManifestText } = await import('../../src/sources/manifests/parse.js');
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const { servicesSelecting, podsOfService } = await import('../../src/controls/support/workloads.js');
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) {
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: team}\nspec:\n  selector: {matchLabels: {app: a${i % 4}}}\n  template:\n    metadata: {labels: {app: a${i % 4}, tier: t${i % 3}, build: ${i % 2}}}\n    spec: {containers: [{name: c, image: x:1}]}`);
  }
  docs.push('apiVersion: v1\nkind: Service\nmetadata: {name: by-app, namespace: team}\nspec: {selector: {app: a1}, ports: [{port: 80}]}');
  docs.push('apiVersion: v1\nkind: Service\nmetadata: {name: by-app-and-tier, namespace: team}\nspec: {selector: {app: a1, tier: t2}, ports: [{port: 80}]}');
  docs.push('apiVersion: v1\nkind: Service\nmetadata: {name: by-tier-then-app, namespace: team}\nspec: {selector: {tier: t2, app: a1}, ports: [{port: 80}]}');
  docs.push('apiVersion: v1\nkind: Service\nmetadata: {name: by-number, namespace: team}\nspec: {selector: {build: "1"}, ports: [{port: 80}]}');
  docs.push('apiVersion: v1\nkind: Service\nmetadata: {name: other-namespace, namespace: elsewhere}\nspec: {selector: {app: a1}, ports: [{port: 80}]}');
  const parsed = parseManifestText('team.yaml', docs.join('\n---\n'));
  const inv = new Inventory(parsed.objects, parsed.problems);
  const svc = (name: string) => inv.objects.find((o) => o.object.kind === 'Service' && o.object.metadata.name === name)!.object;
  const names = (list: Array<{ object: { metadata: { name?: string } } }>) => list.map((o) => o.object.metadata.name);
  // brute force: what every pair of each selector says, in input order
  const expect = (sel: Record<string, string>) => inv.objects.filter((o) => o.object.kind === 'Deployment' && Object.entries(sel).every(([k, v]) => String((o.object as any).spec.template.metadata.labels[k]) === v)).map((o) => o.object.metadata.name);
  assert.deepEqual(names(podsOfService(inv, svc('by-app'))), expect({ app: 'a1' }));
  assert.deepEqual(names(podsOfService(inv, svc('by-app-and-tier'))), expect({ app: 'a1', tier: 't2' }));
  assert.deepEqual(names(podsOfService(inv, svc('by-tier-then-app'))), expect({ app: 'a1', tier: 't2' }));
  assert.equal(podsOfService(inv, svc('by-app')).length, 10);
  // a label written as a number in YAML is not the string a selector names (kubectl would refuse the manifest)
  assert.deepEqual(names(podsOfService(inv, svc('by-number'))), []);
  assert.deepEqual(podsOfService(inv, svc('other-namespace')), []);
  const d5 = inv.objects.find((o) => o.object.metadata.name === 'd5')!.object;
  assert.deepEqual(names(servicesSelecting(inv, d5)), ['by-app', 'by-app-and-tier', 'by-tier-then-app']);
});

test('budgets and workloads of a large namespace are matched through label-pair indexes exactly as one by one (matchLabels, expressions, numbers, empty and missing selectors)', async () => {
  const { parseManifestText } = await import('../../src/sources/manifests/parse.js');
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const { compileSelector } = await import('../../src/network/selector.js');
  const { pdbsSelecting, podsSelectedBy, objectsIn, podLabelsOf } = await import('../../src/controls/support/workloads.js');
  const docs: string[] = [];
  for (let i = 0; i < 30; i++) {
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: big}\nspec:\n  selector: {matchLabels: {app: a${i % 5}}}\n  template:\n    metadata: {labels: {app: a${i % 5}, tier: t${i % 3}, build: ${i % 2}}}\n    spec: {containers: [{name: c, image: x:1}]}`);
  }
  const selectors = [
    '{matchLabels: {app: a1}}',
    '{matchLabels: {app: a1, tier: t0}}',
    '{matchLabels: {tier: t2, app: a3}}',
    '{matchLabels: {app: a2}, matchExpressions: [{key: tier, operator: NotIn, values: [t1]}]}',
    '{matchExpressions: [{key: tier, operator: In, values: [t0, t2]}]}',
    '{matchLabels: {build: "1"}}',
    '{matchLabels: {build: 1}}',
    '{}',
    '{matchLabels: {app: nobody}}',
    '{matchLabels: 7}',
  ];
  selectors.forEach((sel, i) => docs.push(`apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p${i}, namespace: big}\nspec: {minAvailable: 1, selector: ${sel}}`));
  docs.push('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: no-selector, namespace: big}\nspec: {minAvailable: 1}');
  const parsed = parseManifestText('big.yaml', docs.join('\n---\n'));
  const inv = new Inventory(parsed.objects, parsed.problems);
  const pdbs = objectsIn(inv, 'PodDisruptionBudget', 'big');
  const deployments = objectsIn(inv, 'Deployment', 'big');
  assert.equal(pdbs.length, 11);
  const one = (p: (typeof pdbs)[number], labels: Record<string, string>): boolean => {
    const sel = (p.object as { spec?: { selector?: unknown } }).spec?.selector;
    return sel !== undefined && sel !== null && compileSelector(sel)(labels);
  };
  let matched = 0;
  for (const d of deployments) {
    const expected = pdbs.filter((p) => one(p, podLabelsOf(d.object))).map((p) => p.object.metadata.name);
    assert.deepEqual(pdbsSelecting(inv, d.object).map((p) => p.object.metadata.name), expected, d.object.metadata.name);
    matched += expected.length;
  }
  for (const p of pdbs) {
    const sel = (p.object as { spec?: { selector?: unknown } }).spec?.selector;
    const expected = deployments.filter((d) => one(p, podLabelsOf(d.object))).map((d) => d.object.metadata.name);
    assert.deepEqual(podsSelectedBy(deployments, sel).map((d) => d.object.metadata.name), expected, p.object.metadata.name);
  }
  // the comparison is not empty on either side: budgets select some workloads and miss others
  assert.ok(matched > 30 && matched < 30 * 11, String(matched));
});
