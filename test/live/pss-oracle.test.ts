/**
 * Oracle: kordon's Pod Security Standards evaluator against the PodSecurity admission plugin of a
 * real kube-apiserver.
 *
 * For each level (baseline, restricted) and each policy version where some check's definition
 * changes (plus `latest` and a version newer than the server knows), a namespace is labelled
 * `pod-security.kubernetes.io/enforce=<level>` / `enforce-version=<version>`. Every pod variant
 * of test/support/pod-variants.ts is then sent there with server-side dry run: a pod create, or,
 * for variants with ephemeral containers, an update of the `pods/ephemeralcontainers`
 * subresource of a pod created (for real) before the namespace got its labels. The API server's
 * decision is compared with `evaluatePodSecurity` on the same manifest after kordon's model of
 * the API server's defaulting (`prepareAsApiServer`): the verdict, the set of violated check ids
 * (parsed back from the forbidden reasons), and the full admission message text must all agree.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiAgent, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { podVariants, type PodVariant } from '../support/pod-variants.js';
import { admissionMessage, evaluatePodSecurity, NEWEST_PSS_MINOR, prepareAsApiServer, type PssCheckId, type PssLevel } from '../../src/frameworks/pss/index.js';

/**
 * Policy versions, per level: every minor version where the definition of one of the level's
 * checks starts or changes in the upstream registry (k8s.io/pod-security-admission/policy v0.35:
 * baseline at v1.0, v1.19, v1.27, v1.29, v1.31, v1.32, v1.34, v1.35; restricted adds v1.8, v1.22,
 * v1.23, v1.25), and `latest`; restricted also runs v1.36, newer than the server knows (evaluated
 * with the newest rules). Versions between two boundaries evaluate like the lower boundary.
 * KORDON_PSS_ORACLE_ALL_VERSIONS=1 runs every version from v1.0 to v1.36 at both levels instead.
 * kordon tracks policies newer than this server (v1.37's baseline sysctls): `latest` and versions
 * above the server's are compared with kordon at the server's version (see `versionAsServer`);
 * the v1.37 boundary itself is tested in test/unit/pss-evaluator.test.ts from upstream's source.
 */
const BASELINE_BOUNDARIES = [0, 19, 27, 29, 31, 32, 34, 35];
const RESTRICTED_BOUNDARIES = [0, 8, 19, 22, 23, 25, 27, 29, 31, 32, 34, 35, 36];
const ALL_VERSIONS = process.env.KORDON_PSS_ORACLE_ALL_VERSIONS === '1';
const VERSIONS_BY_LEVEL: Record<'baseline' | 'restricted', string[]> = ALL_VERSIONS
  ? { baseline: everyVersion(), restricted: everyVersion() }
  : { baseline: [...BASELINE_BOUNDARIES.map((m) => `v1.${m}`), 'latest'], restricted: [...RESTRICTED_BOUNDARIES.map((m) => `v1.${m}`), 'latest'] };
const LEVELS = ['baseline', 'restricted'] as const;

function everyVersion(): string[] {
  return [...Array.from({ length: 37 }, (_, m) => `v1.${m}`), 'latest'];
}

const CONCURRENCY = 8;
const RUN = randomBytes(3).toString('hex');

/** Every check id the upstream registry has (at v0.35). */
const ALL_CHECK_IDS: PssCheckId[] = [
  'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_baseline', 'capabilities_restricted', 'hostNamespaces',
  'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'procMount', 'procMount_restricted',
  'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seLinuxOptions', 'seccompProfile_baseline', 'seccompProfile_restricted',
  'sysctls', 'windowsHostProcess',
];

/**
 * The check a forbidden reason (as the admission plugin words it) belongs to. Two reasons are
 * shared by a baseline check and the restricted check that overrides it from some version on.
 */
function checkIdOfReason(reason: string, level: PssLevel, minor: number): PssCheckId | undefined {
  switch (reason) {
    case 'allowPrivilegeEscalation != false': return 'allowPrivilegeEscalation';
    case 'forbidden AppArmor profile':
    case 'forbidden AppArmor profiles': return 'appArmorProfile';
    case 'non-default capabilities': return 'capabilities_baseline';
    case 'unrestricted capabilities': return 'capabilities_restricted';
    case 'host namespaces': return 'hostNamespaces';
    case 'hostPath volumes': return 'hostPathVolumes';
    case 'hostPort': return 'hostPorts';
    case 'probe or lifecycle host': return 'hostProbesAndHostLifecycle';
    case 'privileged': return 'privileged';
    case 'procMount': return level === 'restricted' && minor >= 35 ? 'procMount_restricted' : 'procMount';
    case 'restricted volume types': return 'restrictedVolumes';
    case 'runAsNonRoot != true': return 'runAsNonRoot';
    case 'runAsUser=0': return 'runAsUser';
    case 'seLinuxOptions': return 'seLinuxOptions';
    case 'seccompProfile': return level === 'restricted' && minor >= 19 ? 'seccompProfile_restricted' : 'seccompProfile_baseline';
    case 'forbidden sysctls': return 'sysctls';
    case 'hostProcess': return 'windowsHostProcess';
    default: return undefined;
  }
}
// Longest first, so that "forbidden AppArmor profiles" wins over "forbidden AppArmor profile".
const REASONS = [
  'allowPrivilegeEscalation != false', 'forbidden AppArmor profiles', 'forbidden AppArmor profile', 'non-default capabilities',
  'unrestricted capabilities', 'host namespaces', 'hostPath volumes', 'hostPort', 'probe or lifecycle host', 'privileged',
  'procMount', 'restricted volume types', 'runAsNonRoot != true', 'runAsUser=0', 'seLinuxOptions', 'seccompProfile',
  'forbidden sysctls', 'hostProcess',
].sort((a, b) => b.length - a.length);

/**
 * Splits the aggregate `reason (detail), reason, ...` the plugin prints into its reasons.
 * Throws on text it cannot read, so that an unknown reason fails the test loudly.
 */
function parseForbiddenReasons(detail: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < detail.length) {
    const reason = REASONS.find((r) => detail.startsWith(r, i) && [' (', ', ', ''].some((after) => (after === '' ? i + r.length === detail.length : detail.startsWith(after, i + r.length))));
    if (!reason) throw new Error(`unknown forbidden reason at ${JSON.stringify(detail.slice(i, i + 60))} in ${JSON.stringify(detail)}`);
    out.push(reason);
    i += reason.length;
    if (detail.startsWith(' (', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < detail.length; j++) {
        if (detail[j] === '(') depth++;
        else if (detail[j] === ')' && --depth === 0) break;
      }
      if (j >= detail.length) throw new Error(`unbalanced parentheses in ${JSON.stringify(detail)}`);
      i = j + 1;
    }
    if (i === detail.length) break;
    if (!detail.startsWith(', ', i)) throw new Error(`expected ", " at ${i} in ${JSON.stringify(detail)}`);
    i += 2;
  }
  return out;
}

function minorOf(version: string): number {
  return version === 'latest' ? Number.MAX_SAFE_INTEGER : Number(version.slice('v1.'.length));
}

// ---------------------------------------------------------------------------
// HTTP with keep-alive (thousands of requests: one TLS handshake per socket, not per request)

interface Response {
  status: number;
  body: any;
  text: string;
}

function makeClient(cp: Pick<ControlPlaneInfo, 'server' | 'caFile' | 'credentials'>) {
  const agent = apiAgent(cp, 'admin', CONCURRENCY);
  const request = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> =>
    apiRequest(cp, 'admin', method, path, body, { contentType, agent, timeoutMs: 60_000 });
  return { request, close: () => agent.destroy() };
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------

interface Policy {
  level: PssLevel;
  version: string;
  namespace: string;
}

interface Decision {
  allowed: boolean;
  checks: PssCheckId[];
  /** `violates PodSecurity "level:version": ...` when forbidden. */
  message?: string;
}

interface Outcome {
  variant: PodVariant;
  policy: Policy;
  server: Decision | { error: string };
  kordon: Decision;
}

function policies(): Policy[] {
  return LEVELS.flatMap((level) => VERSIONS_BY_LEVEL[level].map((version) => ({ level, version, namespace: `kpss-${RUN}-${level.slice(0, 4)}-${version.replace('.', '-')}` })));
}

/**
 * The policy version the server applies: its own minor for `latest` and for anything newer (the
 * plugin caps versions at the newest policy it was built with). kordon tracks newer policies than
 * the harness's server (latest = v1.${NEWEST_PSS_MINOR}), so it is asked at the server's version;
 * the admission message still names the version as labelled.
 */
function versionAsServer(version: string, serverMinor: number): string {
  return minorOf(version) > serverMinor ? `v1.${serverMinor}` : version;
}

function kordonDecision(variant: PodVariant, policy: Policy, serverMinor: number): Decision {
  const { podMetadata, podSpec } = prepareAsApiServer('Pod', variant.pod.metadata, variant.pod.spec);
  const evaluation = evaluatePodSecurity(podMetadata, podSpec, policy.level, versionAsServer(policy.version, serverMinor));
  if (evaluation.allowed) return { allowed: true, checks: [] };
  return {
    allowed: false,
    checks: [...new Set(evaluation.violations.map((v) => v.check))].sort(),
    message: admissionMessage(policy.level, policy.version, evaluation),
  };
}

function serverDecision(res: Response, policy: Policy, okStatus: number): Decision | { error: string } {
  if (res.status === okStatus) return { allowed: true, checks: [] };
  const message: string = typeof res.body?.message === 'string' ? res.body.message : res.text;
  const at = message.indexOf('violates PodSecurity "');
  if (res.status !== 403 || at < 0) return { error: `${res.status}: ${message.slice(0, 400)}` };
  const text = message.slice(at);
  const m = /^violates PodSecurity "[^"]*": ([\s\S]*)$/.exec(text);
  if (!m) return { error: `unreadable PodSecurity message: ${text.slice(0, 400)}` };
  const checks = new Set<PssCheckId>();
  for (const reason of parseForbiddenReasons(m[1]!)) {
    const id = checkIdOfReason(reason, policy.level, minorOf(policy.version));
    if (!id) return { error: `unmapped reason ${reason}` };
    checks.add(id);
  }
  return { allowed: false, checks: [...checks].sort(), message: text };
}

function withoutEphemeral(variant: PodVariant): Record<string, unknown> {
  const pod = structuredClone(variant.pod) as Record<string, any>;
  delete pod.spec.ephemeralContainers;
  return pod;
}

describe('PodSecurity admission oracle', () => {
  let cp: Awaited<ReturnType<typeof acquireControlPlane>>['cp'];
  let release: () => Promise<void> = async () => {};
  let client: ReturnType<typeof makeClient>;
  const variants = podVariants();
  const allPolicies = policies();
  /** Created host pods (for the ephemeral containers path), by namespace then pod name. */
  const hosts = new Map<string, Map<string, Record<string, any>>>();
  /** The server's minor version: the newest Pod Security policy it knows. */
  let serverMinor = 0;

  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    client = makeClient(cp);
    serverMinor = Number(/^v1\.(\d+)\./.exec(cp.kubernetesVersion)?.[1]);
    assert.ok(serverMinor > 0, `cannot read the server's version ${cp.kubernetesVersion}`);
    // Namespaces without labels first: the host pods of the ephemeral variants must be admitted
    // whatever their pod-level settings; the enforce labels come afterwards.
    for (const p of allPolicies) {
      const r = await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.namespace, labels: { 'kordon.dev/pss-oracle-run': RUN } } });
      assert.equal(r.status, 201, `creating namespace ${p.namespace}: ${r.text.slice(0, 300)}`);
      hosts.set(p.namespace, new Map());
    }
    const ephemeral = variants.filter((v) => v.via === 'ephemeralcontainers');
    const jobs = allPolicies.flatMap((p) => ephemeral.map((v) => ({ p, v })));
    const failures: string[] = [];
    await pool(jobs, CONCURRENCY, async ({ p, v }) => {
      const r = await client.request('POST', `/api/v1/namespaces/${p.namespace}/pods`, withoutEphemeral(v));
      if (r.status !== 201) failures.push(`${v.id} in ${p.namespace}: ${r.status} ${r.text.slice(0, 300)}`);
      else hosts.get(p.namespace)!.set(v.pod.metadata.name, r.body);
    });
    assert.deepEqual(failures, [], 'creating the host pods of the ephemeral container variants');
    for (const p of allPolicies) {
      const patch = { metadata: { labels: { 'pod-security.kubernetes.io/enforce': p.level, 'pod-security.kubernetes.io/enforce-version': p.version } } };
      const r = await client.request('PATCH', `/api/v1/namespaces/${p.namespace}`, patch, 'application/merge-patch+json');
      assert.equal(r.status, 200, `labelling namespace ${p.namespace}: ${r.text.slice(0, 300)}`);
    }
  });

  after(async () => {
    if (client) {
      await pool(allPolicies, CONCURRENCY, (p) => client.request('DELETE', `/api/v1/namespaces/${p.namespace}`).catch(() => undefined));
      client.close();
    }
    await release();
  });

  it('generates at least 500 distinct, valid-looking pod variants', () => {
    assert.ok(variants.length >= 500, `only ${variants.length} variants`);
    assert.equal(new Set(variants.map((v) => v.id)).size, variants.length, 'variant ids must be unique');
    assert.equal(new Set(variants.map((v) => v.pod.metadata.name)).size, variants.length, 'pod names must be unique');
    assert.deepEqual(podVariants(), variants, 'the generator must be deterministic');
    for (const kind of ['containers', 'initContainers', 'ephemeralContainers']) {
      assert.ok(variants.some((v) => (v.pod.spec[kind]?.length ?? 0) > 0 && JSON.stringify(v.pod.spec[kind]).includes('"privileged":true')), `no privileged variant in ${kind}`);
    }
  });

  it('agrees with the API server on every variant, level and version', async () => {
    const jobs = allPolicies.flatMap((policy) => variants.map((variant) => ({ policy, variant })));
    const started = Date.now();
    const outcomes: Outcome[] = await pool(jobs, CONCURRENCY, async ({ policy, variant }) => {
      let server: Decision | { error: string };
      if (variant.via === 'create') {
        const pod = { ...variant.pod, metadata: { ...variant.pod.metadata, namespace: policy.namespace } };
        const r = await client.request('POST', `/api/v1/namespaces/${policy.namespace}/pods?dryRun=All`, pod);
        server = serverDecision(r, policy, 201);
      } else {
        const host = hosts.get(policy.namespace)!.get(variant.pod.metadata.name)!;
        const updated = structuredClone(host);
        updated.spec.ephemeralContainers = variant.pod.spec.ephemeralContainers;
        const r = await client.request('PUT', `/api/v1/namespaces/${policy.namespace}/pods/${variant.pod.metadata.name}/ephemeralcontainers?dryRun=All`, updated);
        server = serverDecision(r, policy, 200);
      }
      return { variant, policy, server, kordon: kordonDecision(variant, policy, serverMinor) };
    });
    const seconds = (Date.now() - started) / 1000;

    const errors = outcomes.filter((o) => 'error' in o.server);
    const compared = outcomes.filter((o): o is Outcome & { server: Decision } => !('error' in o.server));
    const decisionDisagreements = compared.filter((o) => o.server.allowed !== o.kordon.allowed);
    const checkDisagreements = compared.filter((o) => o.server.checks.join(',') !== o.kordon.checks.join(','));
    const textDisagreements = compared.filter((o) => (o.server.message ?? '') !== (o.kordon.message ?? ''));
    const agree = compared.length - decisionDisagreements.length;
    const pct = (n: number) => ((100 * n) / Math.max(outcomes.length, 1)).toFixed(2);
    const summary =
      `PSA oracle: ${agree}/${outcomes.length} decisions agree (${pct(agree)}%), ` +
      `${compared.length - checkDisagreements.length}/${outcomes.length} check sets agree, ` +
      `${compared.length - textDisagreements.length}/${outcomes.length} messages identical; ` +
      `${variants.length} variants (${variants.filter((v) => v.via === 'ephemeralcontainers').length} via pods/ephemeralcontainers) x ${allPolicies.length} level:version policies (baseline ${VERSIONS_BY_LEVEL.baseline.join(' ')}; restricted ${VERSIONS_BY_LEVEL.restricted.join(' ')}); ` +
      `${outcomes.filter((o) => !('error' in o.server) && !o.server.allowed).length} rejected by the server; ${seconds.toFixed(1)} s`;
    console.log(`# ${summary}`);

    // Every check must have been exercised (rejected at least once by the server).
    const seen = new Map<PssCheckId, number>();
    for (const o of compared) for (const id of o.server.checks) seen.set(id, (seen.get(id) ?? 0) + 1);
    console.log(`# PSA oracle: server rejections per check: ${ALL_CHECK_IDS.map((id) => `${id}=${seen.get(id) ?? 0}`).join(' ')}`);

    // Every version boundary must be exercised: some variant's server verdict (check set or
    // detail) differs from the previous boundary's at that level.
    const verdictAt = new Map<string, string>();
    for (const o of compared) {
      const detail = o.server.message ? o.server.message.replace(/^violates PodSecurity "[^"]*": /, '') : 'allowed';
      verdictAt.set(`${o.policy.level}:${o.policy.version}:${o.variant.id}`, detail);
    }
    const unexercised: string[] = [];
    const boundaryChanges: string[] = [];
    for (const [level, minors] of [['baseline', BASELINE_BOUNDARIES], ['restricted', RESTRICTED_BOUNDARIES.filter((m) => m <= 35)]] as const) {
      for (let i = 1; i < minors.length; i++) {
        const [from, to] = [`v1.${minors[i - 1]}`, `v1.${minors[i]}`];
        const changed = variants.filter((v) => verdictAt.get(`${level}:${from}:${v.id}`) !== verdictAt.get(`${level}:${to}:${v.id}`)).length;
        boundaryChanges.push(`${level} ${from}->${to}: ${changed}`);
        if (changed === 0) unexercised.push(`${level} ${from} -> ${to}`);
      }
    }
    console.log(`# PSA oracle: variants whose server verdict changes at each version boundary: ${boundaryChanges.join(', ')}`);

    // How much rides on kordon's model of the API server's defaulting (hostNetwork host ports,
    // AppArmor annotations copied into fields): decisions or messages that change without it.
    const defaultingMatters = compared.filter((o) => {
      const raw = evaluatePodSecurity(o.variant.pod.metadata, o.variant.pod.spec, o.policy.level, versionAsServer(o.policy.version, serverMinor));
      const rawMessage = raw.allowed ? '' : admissionMessage(o.policy.level, o.policy.version, raw);
      return rawMessage !== (o.kordon.message ?? '');
    }).length;
    console.log(`# PSA oracle: ${defaultingMatters} outcomes depend on the API server defaulting model (prepareAsApiServer)`);

    const describeOutcome = (o: Outcome) => {
      const s = 'error' in o.server ? `error ${o.server.error}` : `${o.server.allowed ? 'allowed' : 'forbidden'} [${o.server.checks.join(', ')}] ${o.server.message ?? ''}`;
      const k = `${o.kordon.allowed ? 'allowed' : 'forbidden'} [${o.kordon.checks.join(', ')}] ${o.kordon.message ?? ''}`;
      return `- ${o.variant.id} (${o.variant.pod.metadata.name}) at ${o.policy.level}:${o.policy.version}\n    server: ${s}\n    kordon: ${k}`;
    };
    const first = (list: Outcome[]) => list.slice(0, 15).map(describeOutcome).join('\n');

    assert.deepEqual(errors.map(describeOutcome), [], 'the API server must accept every variant as a valid pod (a 422 or other error is a generator bug)');
    assert.equal(decisionDisagreements.length, 0, `${summary}\nfirst decision disagreements:\n${first(decisionDisagreements)}`);
    assert.equal(checkDisagreements.length, 0, `${summary}\nfirst violated-check disagreements:\n${first(checkDisagreements)}`);
    assert.equal(textDisagreements.length, 0, `${summary}\nfirst message disagreements:\n${first(textDisagreements)}`);
    assert.deepEqual(ALL_CHECK_IDS.filter((id) => !seen.has(id)), [], 'every Pod Security check must be violated by some variant');
    assert.deepEqual(unexercised, [], 'every version boundary must change the verdict of some variant');
  });
});
