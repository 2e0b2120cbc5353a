/**
 * The ValidatingAdmissionPolicy oracle's scenario (test/live/vap-oracle.test.ts): namespaces,
 * param ConfigMaps, policies and bindings exercising every part of the dispatcher, and the
 * candidate objects sent as dry-run creates. Names carry the run id; every policy is scoped to
 * this run's namespaces (label `vap-oracle: <run>`), so the shared control plane's other
 * tests are never affected. Policies read only fields the candidates carry as written.
 */
import type { K8sObject } from '../../../src/inventory/types.js';

const ADM = 'admissionregistration.k8s.io/v1';

export interface OracleScenario {
  namespaces: K8sObject[];
  params: K8sObject[];
  policies: K8sObject[];
  bindings: K8sObject[];
  candidates: K8sObject[];
  /** A candidate that only the sentinel policy denies: the policies are active once it is denied. */
  sentinel: K8sObject;
  expectedCompileProblems: string[];
}

export function oracleScenario(run: string, requester: string): OracleScenario {
  const prod = `vap-prod-${run}`;
  const dev = `vap-dev-${run}`;
  const paramsNs = `vap-params-${run}`;
  const scope = { matchLabels: { 'vap-oracle': run } };
  const ns = (name: string, labels: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'vap-oracle': run, ...labels } } });
  const cm = (namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(labels ? { labels } : {}) }, data });
  const rules = (group: string, version: string, resources: string[], extra: Record<string, unknown> = {}) => ({ apiGroups: [group], apiVersions: [version], operations: ['CREATE', 'UPDATE'], resources, ...extra });
  const policy = (name: string, spec: Record<string, unknown>): K8sObject => {
    const mc = (spec['matchConstraints'] ?? {}) as Record<string, unknown>;
    return { apiVersion: ADM, kind: 'ValidatingAdmissionPolicy', metadata: { name: `${name}-${run}` }, spec: { ...spec, matchConstraints: { namespaceSelector: scope, ...mc } } };
  };
  const binding = (name: string, policyName: string, validationActions: string[], extra: Record<string, unknown> = {}): K8sObject => ({
    apiVersion: ADM,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: `${name}-${run}` },
    spec: { policyName: `${policyName}-${run}`, validationActions, ...extra },
  });
  const deploy = (namespace: string, name: string, replicas: number, labels: Record<string, string> = { team: 'shop' }): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } } },
  });
  const pod = (namespace: string, name: string, containers: Array<Record<string, unknown>>, labels: Record<string, string> = { team: 'shop' }): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers },
  });
  const c = (image: string, memory?: string) => ({ name: 'app', image, ...(memory ? { resources: { limits: { memory } } } : {}) });
  const svc = (namespace: string, name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = { team: 'shop' }): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...extra },
  });
  const big = Array.from({ length: 10 }, (_, i) => i).join(', ');

  const namespaces = [ns(prod, { env: 'prod' }), ns(dev, { env: 'dev' }), ns(paramsNs, { env: 'test' })];
  const params = [
    cm(paramsNs, 'limits', { maxReplicas: '3', registry: 'registry.example.com/' }),
    cm(paramsNs, 'team-a', { team: 'alpha' }, { 'param-set': 'teams' }),
    cm(paramsNs, 'team-b', { team: 'beta' }, { 'param-set': 'teams' }),
    cm(prod, 'local-limits', { maxReplicas: '5' }),
  ];
  const policies = [
    policy('sentinel', {
      matchConstraints: { objectSelector: { matchLabels: { sentinel: 'yes' } }, resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [{ expression: 'false', message: 'sentinel' }],
    }),
    policy('replicas', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [rules('apps', 'v1', ['deployments'])] },
      validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)', messageExpression: "'replicas ' + string(object.spec.replicas) + ' above ' + params.data.maxReplicas", reason: 'Forbidden' }],
    }),
    policy('local-replicas', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [rules('apps', 'v1', ['deployments'])] },
      validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)', message: 'too many replicas for this namespace' }],
    }),
    policy('registry', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [rules('', 'v1', ['pods'])] },
      variables: [{ name: 'foreign', expression: 'object.spec.containers.filter(c, !c.image.startsWith(params.data.registry))' }],
      validations: [
        {
          expression: 'size(variables.foreign) == 0',
          messageExpression: "'image %s is not from %s'.format([variables.foreign[0].image, params.data.registry])",
        },
      ],
    }),
    policy('labels', {
      matchConstraints: {
        objectSelector: { matchExpressions: [{ key: 'skip-labels', operator: 'DoesNotExist' }] },
        resourceRules: [rules('', 'v1', ['pods', 'services', 'configmaps']), rules('apps', 'v1', ['deployments'])],
      },
      variables: [{ name: 'team', expression: "object.metadata.?labels[?'team'].orValue('')" }],
      validations: [
        { expression: "variables.team != ''", message: 'every object needs a team label' },
        { expression: "variables.team == '' || variables.team.matches('^[a-z]+$')", messageExpression: "'team ' + strings.quote(variables.team) + ' must be lowercase letters'" },
      ],
    }),
    policy('teams', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [rules('', 'v1', ['services'])] },
      validations: [
        {
          expression: "object.metadata.?labels[?'team'].orValue('') != params.data.team || object.metadata.?annotations[?'owner'].hasValue()",
          messageExpression: "'team ' + params.data.team + ' services need an owner annotation'",
        },
      ],
    }),
    policy('memory', {
      matchConstraints: {
        namespaceSelector: { matchLabels: { 'vap-oracle': run }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
        resourceRules: [rules('', 'v1', ['pods'])],
      },
      matchConditions: [{ name: 'not-exempt', expression: "!('exempt' in object.metadata.?labels.orValue({}))" }],
      validations: [
        {
          expression: "object.spec.containers.all(c, has(c.resources) && has(c.resources.limits) && 'memory' in c.resources.limits && quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))",
          message: 'prod pods need a memory limit below 1Gi',
        },
      ],
    }),
    policy('ns-env', {
      matchConstraints: { resourceRules: [rules('', 'v1', ['namespaces'], { scope: 'Cluster' })] },
      validations: [
        { expression: "object.metadata.?labels[?'env'].orValue('none') in ['prod', 'dev', 'test', 'none']", messageExpression: "'unknown env ' + object.metadata.labels.env" },
        { expression: "!('version' in object.metadata.?labels.orValue({})) || isSemver(object.metadata.labels.version, true)", message: 'version label must be a semantic version' },
      ],
    }),
    policy('fail-on-error', {
      matchConstraints: { objectSelector: { matchLabels: { boom: 'fail' } }, resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [{ expression: "object.data.missing == 'x'" }],
    }),
    policy('ignore-errors', {
      failurePolicy: 'Ignore',
      matchConstraints: { objectSelector: { matchLabels: { boom: 'ignore' } }, resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [{ expression: "object.data.missing == 'x'" }],
    }),
    policy('no-bad-names', {
      matchConstraints: {
        resourceRules: [rules('', 'v1', ['*'])],
        excludeResourceRules: [rules('', 'v1', ['configmaps', 'pods'])],
      },
      validations: [{ expression: "!object.metadata.name.endsWith('-bad')", message: 'no -bad names' }],
    }),
    policy('special-name', {
      matchConstraints: { resourceRules: [rules('', 'v1', ['configmaps'], { resourceNames: ['special'] })] },
      validations: [{ expression: "object.?data[?'allowed'].orValue('') == 'yes'", message: 'the special ConfigMap must say allowed: yes' }],
    }),
    policy('external-ips', {
      matchConstraints: { resourceRules: [rules('', 'v1', ['services'])] },
      validations: [
        { expression: "!has(object.spec.externalIPs) || object.spec.externalIPs.all(ip, !cidr('10.0.0.0/8').containsIP(ip))", message: 'external IPs in 10.0.0.0/8 are not allowed' },
        { expression: "!has(object.spec.loadBalancerSourceRanges) || object.spec.loadBalancerSourceRanges.all(r, cidr(r).prefixLength() >= 8)", message: 'source ranges wider than /8 are not allowed' },
      ],
    }),
    policy('authz', {
      matchConstraints: { objectSelector: { matchLabels: { 'check-authz': 'yes' } }, resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [
        { expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('get').allowed()", message: 'the requester must be able to read secrets' },
        { expression: "!authorizer.serviceAccount(object.metadata.namespace, 'nobody').group('').resource('secrets').check('list').allowed()", message: 'nobody must not list secrets' },
      ],
    }),
    policy('cost', {
      matchConstraints: { objectSelector: { matchLabels: { cost: 'yes' } }, resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [{ expression: `[${big}].all(a, [${big}].all(b, [${big}].all(c, [${big}].all(d, [${big}].all(e, [${big}].all(f, [${big}].all(g, a + b + c + d + e + f + g >= 0)))))))` }],
    }),
    policy('tier', {
      matchConstraints: { resourceRules: [rules('', 'v1', ['pods'])] },
      matchConditions: [{ name: 'create-dry-run', expression: `request.operation == 'CREATE' && request.dryRun == true && request.userInfo.username == '${requester}'` }],
      validations: [{ expression: "namespaceObject.metadata.labels.env != 'prod' || object.metadata.?labels[?'tier'].hasValue()", message: 'prod pods need a tier label' }],
    }),
    policy('audit-size', {
      matchConstraints: { resourceRules: [rules('', 'v1', ['configmaps'])] },
      validations: [{ expression: 'size(object.?data.orValue({})) <= 3', messageExpression: "'too many keys: ' + string(size(object.data))" }],
      auditAnnotations: [{ key: 'keys', valueExpression: "string(size(object.?data.orValue({})))" }],
    }),
  ];
  const bindings = [
    binding('sentinel', 'sentinel', ['Deny']),
    binding('replicas', 'replicas', ['Deny'], { paramRef: { name: 'limits', namespace: paramsNs, parameterNotFoundAction: 'Deny' }, matchResources: { namespaceSelector: { matchLabels: { env: 'dev' } } } }),
    binding('local-replicas', 'local-replicas', ['Deny'], { paramRef: { name: 'local-limits', parameterNotFoundAction: 'Allow' } }),
    binding('local-replicas-strict', 'local-replicas', ['Deny'], { paramRef: { name: 'local-limits', parameterNotFoundAction: 'Deny' }, matchResources: { objectSelector: { matchLabels: { strict: 'yes' } } } }),
    binding('registry', 'registry', ['Deny'], { paramRef: { name: 'limits', namespace: paramsNs, parameterNotFoundAction: 'Deny' } }),
    binding('labels', 'labels', ['Warn', 'Audit']),
    binding('teams', 'teams', ['Deny'], { paramRef: { selector: { matchLabels: { 'param-set': 'teams' } }, namespace: paramsNs, parameterNotFoundAction: 'Allow' } }),
    binding('memory', 'memory', ['Deny']),
    binding('ns-env', 'ns-env', ['Deny']),
    binding('fail-on-error', 'fail-on-error', ['Deny']),
    binding('ignore-errors', 'ignore-errors', ['Deny']),
    binding('no-bad-names', 'no-bad-names', ['Deny']),
    binding('special-name', 'special-name', ['Deny']),
    binding('external-ips', 'external-ips', ['Deny']),
    binding('authz', 'authz', ['Deny']),
    binding('cost', 'cost', ['Deny']),
    binding('tier', 'tier', ['Warn']),
    binding('audit-size', 'audit-size', ['Audit']),
  ];
  const sentinel = cm(prod, 'sentinel', { a: 'b' }, { sentinel: 'yes', team: 'shop' });
  const good = 'registry.example.com/app:1';
  const candidates: K8sObject[] = [
    sentinel,
    // replicas: the dev binding with a cluster-wide param; prod with its namespace's own param
    deploy(dev, 'web-ok', 3),
    deploy(dev, 'web-many', 4),
    deploy(prod, 'api-ok', 5),
    deploy(prod, 'api-many', 6),
    deploy(prod, 'api-strict', 2, { team: 'shop', strict: 'yes' }),
    deploy(dev, 'web-strict', 2, { team: 'shop', strict: 'yes' }),
    deploy(dev, 'web-nolabel', 1, {}),
    deploy(dev, 'web-upper', 1, { team: 'Shop' }),
    // pods: registry (params + variables + format), memory (namespace selector + matchCondition + quantity), tier (namespaceObject + request)
    pod(dev, 'pod-ok', [c(good)]),
    pod(dev, 'pod-foreign', [c(good), { name: 'side', image: 'docker.io/library/busybox:1' }]),
    pod(prod, 'pod-mem-ok', [c(good, '512Mi')], { team: 'shop', tier: 'web' }),
    pod(prod, 'pod-mem-high', [c(good, '1Gi')], { team: 'shop', tier: 'web' }),
    pod(prod, 'pod-mem-none', [c(good)], { team: 'shop', tier: 'web' }),
    pod(prod, 'pod-mem-exempt', [c(good)], { team: 'shop', tier: 'web', exempt: 'true' }),
    pod(prod, 'pod-mem-milli', [c(good, '900000000000m')], { team: 'shop', tier: 'web' }),
    pod(prod, 'pod-no-tier', [c(good, '100Mi')]),
    pod(prod, 'pod-bad', [c(good, '100Mi')], { team: 'shop', tier: 'x' }),
    pod(dev, 'pod-skip', [c(good)], { 'skip-labels': 'true' }),
    // services: teams (selector params, each param separately), no-bad-names (exclude rules), external-ips (cidr)
    svc(dev, 'svc-ok'),
    svc(dev, 'svc-alpha', {}, { team: 'alpha' }),
    { ...svc(dev, 'svc-alpha-owned', {}, { team: 'alpha' }), metadata: { name: 'svc-alpha-owned', namespace: dev, labels: { team: 'alpha' }, annotations: { owner: 'ann' } } },
    svc(dev, 'svc-beta', {}, { team: 'beta' }),
    svc(dev, 'svc-bad'),
    svc(dev, 'svc-ext-ok', { externalIPs: ['192.0.2.10'] }),
    svc(dev, 'svc-ext-internal', { externalIPs: ['192.0.2.10', '10.1.2.3'] }),
    svc(dev, 'svc-lb-wide', { type: 'LoadBalancer', loadBalancerSourceRanges: ['0.0.0.0/0'] }),
    svc(dev, 'svc-lb-ok', { type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'] }),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot-bad', namespace: dev } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: dev } },
    // configmaps: excluded from no-bad-names, resourceNames, failurePolicy, authorizer, cost, audit
    cm(dev, 'cm-bad', { a: '1' }, { team: 'shop' }),
    cm(dev, 'special', { allowed: 'no' }, { team: 'shop' }),
    cm(prod, 'special', { allowed: 'yes' }, { team: 'shop' }),
    cm(dev, 'boom-fail', { a: '1' }, { team: 'shop', boom: 'fail' }),
    cm(dev, 'boom-ignore', { a: '1' }, { team: 'shop', boom: 'ignore' }),
    cm(dev, 'authz', { a: '1' }, { team: 'shop', 'check-authz': 'yes' }),
    cm(dev, 'costly', { a: '1' }, { team: 'shop', cost: 'yes' }),
    cm(dev, 'many-keys', { a: '1', b: '2', c: '3', d: '4' }, { team: 'shop' }),
    // namespaces: cluster scope, the namespace selector on the namespace itself, semver
    ns(`vap-ok-${run}`, { env: 'dev', version: 'v1.2' }),
    ns(`vap-env-${run}`, { env: 'qa' }),
    ns(`vap-ver-${run}`, { env: 'dev', version: 'one' }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `vap-other-${run}`, labels: { env: 'qa' } } },
  ];
  return { namespaces, params, policies, bindings, candidates, sentinel, expectedCompileProblems: [] };
}
