import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { credentialKindsOfValue, credentialsInText, isPlaceholderValue, redactCredentialText, standInFor, STAND_IN_KINDS } from '../../src/controls/support/credentials.js';
import { redactCredentials } from '../../src/controls/support/snapshot-redaction.js';
import { redactSecret } from '../../src/sources/cluster/redact.js';
import { inventoryOf, scanInventory } from '../../src/scan.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';
import { defineControl } from '../../src/engine/types.js';

// Made-up credentials in every place the detectors look (none of them is real).
const GH = 'ghp_' + 'Ab3dEf6hIj9kLm2oPq5sTu8wXy1zAb4dEf7h';
const AWS = 'AKIA' + 'ZXCVBNMASDFGHJKL';
const PEM_BODY = ['MIIEowIBAAKCAQEAx9sK2uJ7pQ3vT0mRkq8Lw5Yb1cN4eD6fG7hI8jK9lM0nO1pQ', 'r2sT3uV4wX5yZ6aB7cD8eF9gH0iJ1kL2mN3oP4qR5sT6uV7wX8yZ9aB0cD1eF2==='];
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrb3Jkb24tdGVzdCJ9.c2lnbmF0dXJlLXRlc3Qtb25seQ';
const SLACK_HOOK = 'https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/zzYYxxWWvvUUttSS';
const STRIPE = 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dcXYZ';
const GOOGLE = 'AIza' + 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q';
const GITLAB = 'glpat-' + 'xYz12345AbCdEfGhIjKl';
const SLACK = 'xoxb-' + '1234567890-abcdefABCDEF';
const FINE = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijKLMNOP';
const PLAIN = {
  env: 'hunter2-plain-env',
  url: 's3cr3tUrlPass',
  arg: 'argPw123456',
  nextArg: 'tokenArg456789',
  prop: 'propPw789012',
  json: 'jsonKey000111',
  cm: 'cmPlainSecret345',
  ann: 'annTokenValue42',
  annUrl: 'annUrlPass55',
  block: 'blockPw-in-yaml',
};
const SECRETS = [GH, AWS, ...PEM_BODY, JWT, SLACK_HOOK, STRIPE, GOOGLE, GITLAB, SLACK, FINE, ...Object.values(PLAIN)];

function workload(): K8sObject {
  const obj: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', annotations: { 'example.com/api-token': PLAIN.ann, notes: `mirror at https://deploy:${PLAIN.annUrl}@mirror.example.com/x` } },
    spec: {
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          initContainers: [{ name: 'migrate', image: 'migrate:1', command: ['migrate', `--db-password=${PLAIN.arg}`, '--token', PLAIN.nextArg, `--aws-key=${AWS}`], args: ['sh', '-c', `curl -fsSL https://get.example.com/x.sh | sh && echo ${GH}`] }],
          containers: [
            {
              name: 'api',
              image: 'api:1',
              env: [
                { name: 'DB_PASSWORD', value: PLAIN.env },
                { name: 'GITHUB', value: GH },
                { name: 'DATABASE_URL', value: `postgres://app:${PLAIN.url}@db:5432/app` },
                { name: 'SIGNING', value: JWT },
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'API_KEY', value: '$(FROM_SECRET)' },
              ],
            },
          ],
        },
      },
    },
  };
  obj.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(obj) + '\n';
  return obj;
}

function configMap(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'shop' },
    data: {
      AWS_ACCESS_KEY_ID: AWS,
      DB_PASSWORD: PLAIN.cm,
      'app.properties': `db.url=jdbc:postgresql://db/app\ndb.password=${PLAIN.prop}\nlog.level=info\n`,
      'config.json': `{\n  "endpoint": "https://api.example.com",\n  "apiKey": "${PLAIN.json}",\n  "session": "${JWT}"\n}\n`,
      'values.yaml': `auth:\n  password: ${PLAIN.block}  # rotate me\n  user: app\n`,
      'key.pem': PEM,
      'inline.json': `{"private_key": "${PEM.replace(/\n/g, '\\n')}"}`,
      hooks: `${SLACK_HOOK} ${STRIPE}`,
      google: GOOGLE,
      gitlab: GITLAB,
      slack: SLACK,
      fine: FINE,
      plain: 'nothing to see here',
    },
  };
}

const ORIGIN: Origin = { source: 'cluster:test', documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' };
const scan = (objects: K8sObject[]) => scanInventory(inventoryOf(objects.map((object) => ({ object, origin: ORIGIN }))), ['cluster:test']);

test('every value format has a stand-in of that format and no other', () => {
  for (const kind of STAND_IN_KINDS) {
    const s = standInFor([kind]);
    assert.deepEqual(credentialKindsOfValue(s), [kind], kind);
    assert.equal(isPlaceholderValue(s), false, kind);
  }
  assert.deepEqual(credentialKindsOfValue(standInFor(STAND_IN_KINDS)), [...STAND_IN_KINDS].sort());
});

test('a text keeps what the detectors see in it, and loses the credentials', () => {
  for (const [key, text] of Object.entries(configMap().data as Record<string, string>)) {
    if (key === 'DB_PASSWORD') continue; // a credential by its name only: the object-level redaction's part
    const r = redactCredentialText(text);
    assert.deepEqual(credentialKindsOfValue(r), credentialKindsOfValue(text), text);
    assert.deepEqual(credentialsInText(r), credentialsInText(text), text);
    assert.equal(r.includes('\n'), text.includes('\n'));
    for (const s of SECRETS) assert.ok(!r.includes(s), `${s} survived in ${r}`);
  }
  // what is not a credential stays as it was
  assert.equal(redactCredentialText('nothing to see here'), 'nothing to see here');
  assert.equal(redactCredentialText(`db.url=jdbc:postgresql://db/app\ndb.password=${PLAIN.prop}\nlog.level=info\n`), 'db.url=jdbc:postgresql://db/app\ndb.password=REDACTED\nlog.level=info\n');
});

test('redacted objects hold no credential and give the same findings', () => {
  const originals = [workload(), configMap()];
  const pristine = structuredClone(originals);
  const before = scan(originals.map((o) => structuredClone(o)));
  const results = originals.map((o) => redactCredentials(o));
  for (const r of results) {
    assert.ok(r.redacted > 0);
    assert.equal(r.mismatch, false);
  }
  const text = JSON.stringify(results.map((r) => r.object));
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} is still in the redacted objects`);
  const after = scan(results.map((r) => r.object));
  // the detectors found plenty, and find it all again
  const credentialFindings = before.findings.filter((f) => /credential|download/.test(f.control));
  assert.ok(credentialFindings.length >= 15, `only ${credentialFindings.length} credential findings`);
  assert.deepEqual(after.findings, before.findings);
  assert.deepEqual(after.summary, before.summary);
  // the originals are not changed, and what is no credential is kept
  assert.deepEqual(originals, pristine);
  const cm = results[1]!.object.data as Record<string, string>;
  assert.ok(cm['app.properties']!.includes('log.level=info') && cm['app.properties']!.includes('db.url=jdbc:postgresql://db/app'));
  assert.equal(cm['plain'], 'nothing to see here');
  assert.ok(cm['key.pem']!.startsWith('-----BEGIN PRIVATE KEY-----'));
  const applied = JSON.parse((results[0]!.object.metadata.annotations as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration']!) as K8sObject;
  assert.equal(applied.metadata.name, 'api', 'the last-applied copy is still the applied manifest');
});

test('an object without credentials is handed back as it is', () => {
  const obj: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x', annotations: { team: 'web' } }, data: { 'nginx.conf': 'server { listen 80; }\n', url: 'https://example.com/a=b' } };
  const r = redactCredentials(obj);
  assert.equal(r.object, obj);
  assert.equal(r.redacted, 0);
});

test('the bundled example: its hard-coded credentials are taken out, its findings stay', async () => {
  const loaded = await loadManifests(['examples/shop']);
  const objects = loaded.objects.filter((o) => o.object.kind !== 'Secret').map((o) => o.object);
  const before = scan(objects.map((o) => structuredClone(o)));
  const results = objects.map((o) => redactCredentials(o));
  assert.ok(results.filter((r) => r.redacted > 0).length >= 3);
  assert.ok(results.every((r) => !r.mismatch));
  const text = JSON.stringify(results.map((r) => r.object));
  for (const s of ['s3ss10n-k3y-0f-th3-st0r3fr0nt', 'Pr0d-DB-pa55w0rd!', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']) assert.ok(!text.includes(s), s);
  assert.deepEqual(scan(results.map((r) => r.object)).findings, before.findings);
});

test("a Secret's last-applied annotation keeps the keys of the applied manifest, not its values", () => {
  const applied = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop', annotations: { owner: 'team' } }, type: 'Opaque', data: { password: Buffer.from('lastAppliedPw').toString('base64'), empty: '' }, stringData: { token: 'plain-token-value' } };
  const secret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) + '\n' } }, type: 'Opaque', data: { password: applied.data.password, empty: '' } };
  const r = redactSecret(structuredClone(secret));
  const text = JSON.stringify(r);
  for (const v of [applied.data.password, 'lastAppliedPw', 'plain-token-value']) assert.ok(!text.includes(v), v);
  const ann = (r.metadata.annotations as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration']!;
  assert.deepEqual(JSON.parse(ann), { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'db', namespace: 'shop' }, data: { empty: '', password: '<redacted>' }, stringData: { token: '<redacted>' } });
  // so the control that reports such copies still names the copied keys for a live cluster
  const finding = scan([r]).findings.find((f) => f.controlId === 'KOR-0131');
  assert.ok(finding, 'KOR-0131 reports the copy');
  assert.match(finding.message, /2 value\(s\) \(password, token\)/);
  // a text that is not a manifest is redacted whole
  const odd = redactSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'password: not-json' } } });
  assert.equal((odd.metadata.annotations as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration'], '<redacted>');
});

test('a control that judges the values themselves: the smallest stand-ins, and a warning when even they differ', () => {
  // a made-up object control that reports the length of every ConfigMap value
  const lengths = defineControl({
    id: 'KOR-9999', name: 'test-value-length', title: 't', description: 't', layer: 'code', phases: ['develop'], severity: 'low', effort: 'low', frameworks: {}, remediation: 't.',
    messages: { len: '{{key}} is {{n}} long' }, targets: 'object', kinds: ['ConfigMap'],
    check(object, ctx) {
      for (const [k, v] of Object.entries((object['data'] ?? {}) as Record<string, string>)) ctx.report('len', { key: k, n: v.length }, `/data/${k}`);
    },
  });
  const r = redactCredentials(configMap(), [lengths]);
  assert.equal(r.mismatch, true);
  const text = JSON.stringify(r.object);
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} kept to make findings match`);
  // and with the catalog's controls the same object needs no fallback
  assert.equal(redactCredentials(configMap()).mismatch, false);
});

test('random objects: redaction never changes what the controls report and never keeps a credential', async () => {
  const { prng } = await import('../support/prng.js');
  const rnd = prng(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const token = (n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'): string => Array.from({ length: n }, () => pick(alphabet.split(''))).join('');
  // each generator returns [text, the secret parts that must not survive]; the value formats are
  // seen wherever they stand, so their secrets must go everywhere (settings only count at the start
  // of a line, as the detectors read them, and are not checked here)
  const formats: Array<() => [string, string[]]> = [
    () => { const s = 'AKIA' + token(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'); return [s, [s]]; },
    () => { const s = 'ghp_' + token(36); return [s, [s]]; },
    () => { const s = 'xoxp-' + token(24); return [s, [s]]; },
    () => { const p = token(12); return [`https://svc:${p}@db.internal:5432/x`, [p]]; },
    () => { const b = token(40); return [`-----BEGIN EC PRIVATE KEY-----\n${b}\n${token(20)}==\n-----END EC PRIVATE KEY-----\n`, [b]]; },
    () => { const j = `eyJ${token(12)}.eyJ${token(14)}.${token(16)}`; return [j, [j]]; },
  ];
  const settings: Array<() => [string, string[]]> = [
    () => { const p = token(10); return [`password=${p}`, [p]]; },
    () => { const p = token(10); return [`  "api_key": "${p}",`, [p]]; },
    () => { const p = token(10); return [`token: ${p}  # comment`, [p]]; },
  ];
  const plain = ['log.level=info', 'server { listen 80; }', 'timeout: 30s', 'url=https://example.com/a?b=c', '$(VAR)', '', 'enabled: true'];
  const names = ['DB_PASSWORD', 'API_TOKEN', 'LOG_LEVEL', 'CONFIG', 'githubToken', 'HOST', 'SECRET_KEY', 'existingSecret'];
  for (let round = 0; round < 60; round++) {
    const kept: string[] = [];
    const value = (): string => {
      const parts: string[] = [];
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        if (r < 0.4) {
          const [text, must] = pick(formats)();
          parts.push(text);
          kept.push(...must);
        } else if (r < 0.6) parts.push(pick(settings)()[0]);
        else parts.push(pick(plain));
      }
      return parts.join(rnd() < 0.5 ? '\n' : ' ');
    };
    const env = Array.from({ length: 3 }, () => ({ name: pick(names), value: value() }));
    const args = [pick(['--db-password', '--token', '--verbose']), value().split('\n')[0]!, `--api-key=${value().split(/\s/)[0]}`, value()];
    const objects: K8sObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${round}`, namespace: 'r', annotations: { [`example.com/${pick(names)}`]: value(), note: value() } }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'x:1', env, args }] } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${round}`, namespace: 'r' }, data: { [pick(names)]: value(), 'app.conf': value() + '\n' + value() } },
    ];
    // the forms the flag and format detectors do not read: program-specific passwords on command
    // lines, Authorization headers, credential-named fields of custom resources at any depth,
    // labels named like credentials, and Helm releases stored in ConfigMaps
    const pw = (): string => {
      const p = token(12);
      kept.push(p);
      return p;
    };
    const commands: Array<() => string[]> = [
      () => ['sh', '-c', `curl -fsS -u deploy:${pw()} https://repo.example.com/x`],
      () => ['curl', '-u', `admin:${pw()}`, 'https://x'],
      () => ['sh', '-c', `mysqldump -h db -u root -p${pw()} shop > /backup/x.sql`],
      () => ['sh', '-c', `mysql -u app -p"${pw()}" -e 'select 1'`],
      () => ['sshpass', '-p', pw(), 'ssh', 'backup@host'],
      () => ['sh', '-c', `echo start; docker login -u ci -p ${pw()} registry.example.com && redis-cli -a ${pw()} ping`],
      () => ['sh', '-c', `exec app --password ${pw()} --port 8080`],
      () => ['migrate', `--db-password=${pw()}`],
      () => ['sh', '-c', `curl -H "Authorization: Bearer ${pw()}" https://api.example.com`],
    ];
    const snippet = pick([
      () => `proxy_set_header Authorization "Basic ${Buffer.from(`u:${pw()}`).toString('base64')}";`,
      () => `more_set_headers "Authorization: Bearer ${pw()}";\nproxy_read_timeout 30s;`,
      () => `{"headers": {"Authorization": "Bearer ${pw()}"}}`,
    ])();
    let nested: Record<string, unknown> = { [pick(['password', 'token', 'secret', 'apiKey', 'clientSecret', 'adminPassword'])]: pw(), host: 'db.internal' };
    for (let d = Math.floor(rnd() * 5); d > 0; d--) nested = rnd() < 0.5 ? { [pick(['auth', 'spec', 'backend', 'connection'])]: nested } : { items: [nested, { name: 'x' }] };
    const labelSecret = token(20);
    kept.push(labelSecret);
    const helmValue = pw();
    const release = { name: `rel${round}`, namespace: 'r', version: 3, info: { status: 'deployed', notes: `password: ${helmValue}` }, chart: { metadata: { name: 'shop', version: '1.2.3', appVersion: '4.5' }, values: { db: { password: helmValue } } }, config: { db: { password: helmValue } }, manifest: `apiVersion: v1\nkind: Secret\nstringData:\n  password: ${helmValue}\n` };
    const blob = gzipSync(JSON.stringify(release)).toString('base64');
    objects.push(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `cmd${round}`, namespace: 'r', labels: { app: 'x', 'vault-token': labelSecret } }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'x:1', command: pick(commands)(), args: pick(commands)() }] } } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: `i${round}`, namespace: 'r', annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': snippet } }, spec: {} },
      { apiVersion: 'db.example.com/v1', kind: 'Database', metadata: { name: `db${round}`, namespace: 'r' }, spec: nested },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `sh.helm.release.v1.rel${round}.v3`, namespace: 'r', labels: { owner: 'helm', name: `rel${round}`, status: 'deployed', version: '3' } }, data: { release: blob } },
    );
    const before = scan(objects.map((o) => structuredClone(o)));
    const results = objects.map((o) => redactCredentials(o));
    for (const r of results) assert.equal(r.mismatch, false, `round ${round}: ${JSON.stringify(objects)}`);
    assert.deepEqual(scan(results.map((r) => r.object)).findings, before.findings, `round ${round}`);
    // the Helm release's stand-in keeps the chart and the release, none of the values
    const standIn = JSON.parse(gunzipSync(Buffer.from((results.at(-1)!.object['data'] as Record<string, string>)['release']!, 'base64')).toString('utf8'));
    assert.deepEqual([standIn.name, standIn.version, standIn.info.status, standIn.chart.metadata.name, standIn.chart.metadata.version], [`rel${round}`, 3, 'deployed', 'shop', '1.2.3']);
    const text = JSON.stringify(results.map((r) => r.object)) + JSON.stringify(standIn);
    for (const s of kept) assert.ok(!text.includes(s), `round ${round}: ${s} survived`);
  }
});
