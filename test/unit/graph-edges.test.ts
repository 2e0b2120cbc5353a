/**
 * One scenario cluster per edge family (test/fixtures/graph/<scenario>/), positives and
 * near-miss negatives side by side.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { BuiltGraph } from '../../src/graph/build.js';
import { hostPathEscape } from '../../src/graph/escape.js';
import { edgesFrom, scenarioGraph, targets } from './graph-support.js';

const c = (pod: string, ns = 'esc', container = 'c'): string => `Pod/${ns}/${pod}#container:${container}`;
const vol = (pod: string, name: string, ns = 'esc'): string => `Pod/${ns}/${pod}#volume:${name}`;

describe('graph: exposure edges', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('exposure')));

  it('internet → LoadBalancer Service → workload', () => {
    assert.deepEqual(targets(bg, 'internet', 'exposes').sort(), ['Ingress/expo/web', 'Service/expo/public-lb']);
    const sel = edgesFrom(bg, 'Service/expo/public-lb', 'selects');
    assert.deepEqual(sel.map((e) => e.target), ['Deployment/expo/public-lb']);
    const ev = edgesFrom(bg, 'internet', 'exposes', 'Service/expo/public-lb')[0]!.evidence;
    assert.deepEqual(ev.map((e) => [e.object, e.pointer, e.role]), [['Service/expo/public-lb', '/spec/type', 'cause']]);
  });

  it('internet → Ingress → ClusterIP Service → workload', () => {
    assert.deepEqual(targets(bg, 'Ingress/expo/web', 'routes-to'), ['Service/expo/via-ingress']);
    assert.deepEqual(targets(bg, 'Service/expo/via-ingress', 'selects'), ['Deployment/expo/via-ingress']);
  });

  it('an internal LoadBalancer is reachable from the node network only; a ClusterIP Service from nowhere outside', () => {
    assert.deepEqual(targets(bg, 'external:node-network', 'exposes').includes('Service/expo/internal-lb'), true);
    assert.equal(targets(bg, 'internet', 'exposes').includes('Service/expo/internal-lb'), false);
    assert.equal(targets(bg, 'internet', 'exposes').includes('Service/expo/internal-only'), false);
    assert.equal(targets(bg, 'external:node-network', 'exposes').includes('Service/expo/internal-only'), false);
  });
});

describe('graph: container escape edges', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('escape')));
  const escapes = (pod: string): string[] => edgesFrom(bg, c(pod), 'container-escape').map((e) => e.detail);
  const hostPath = (pod: string, volume: string): string[] => edgesFrom(bg, vol(pod, volume), 'host-path-escape').map((e) => e.detail);

  it('privileged, privileged + hostPID, SYS_MODULE, SYS_ADMIN, SYS_PTRACE + hostPID escape', () => {
    assert.match(escapes('privileged')[0]!, /^privileged: /);
    assert.match(escapes('privileged-hostpid')[0]!, /nsenter/);
    assert.match(escapes('sys-module')[0]!, /SYS_MODULE/);
    assert.match(escapes('sys-admin')[0]!, /SYS_ADMIN/);
    assert.match(escapes('ptrace-hostpid')[0]!, /SYS_PTRACE \+ hostPID/);
    for (const pod of ['privileged', 'privileged-hostpid', 'sys-module', 'sys-admin', 'ptrace-hostpid']) {
      assert.deepEqual(targets(bg, c(pod), 'container-escape'), ['node-pool:*'], pod);
    }
  });

  it('near misses do not escape: privileged false, SYS_PTRACE without hostPID, NET_ADMIN', () => {
    assert.deepEqual(escapes('not-privileged'), []);
    assert.deepEqual(escapes('ptrace-only'), []);
    assert.deepEqual(escapes('net-admin'), []);
  });

  it('the escape evidence points at the enabling fields', () => {
    const ev = edgesFrom(bg, c('privileged-hostpid'), 'container-escape')[0]!.evidence.filter((e) => e.role === 'cause');
    assert.deepEqual(ev.map((e) => e.pointer), ['/spec/containers/0/securityContext/privileged', '/spec/hostPID']);
  });

  it('sensitive host paths escape: /, /proc, /etc, /root, /var/lib/kubelet (read-only too), /var (above the kubelet dir), runtime socket', () => {
    assert.equal(hostPath('hostpath-root', 'host').length, 1);
    assert.equal(hostPath('hostpath-proc', 'host').length, 1);
    assert.equal(hostPath('hostpath-etc', 'host').length, 1);
    assert.equal(hostPath('hostpath-root-home', 'host').length, 1);
    assert.match(hostPath('hostpath-kubelet', 'host')[0]!, /kubelet/);
    assert.equal(hostPath('hostpath-var', 'host').length, 1);
    assert.match(hostPath('runtime-socket', 'sock')[0]!, /containerd\.sock/);
    assert.deepEqual(targets(bg, c('runtime-socket'), 'mounts'), [vol('runtime-socket', 'sock')]);
  });

  it('other host paths do not escape', () => {
    assert.deepEqual(hostPath('hostpath-data', 'data'), []);
    assert.deepEqual(hostPath('etc-readonly-subdir', 'tz'), []);
  });

  it('/var/log escapes only when mounted writable and the pod can read pod logs', () => {
    const ok = edgesFrom(bg, vol('varlog-with-logs', 'logs'), 'host-path-escape');
    assert.equal(ok.length, 1);
    assert.ok(ok[0]!.evidence.some((e) => e.object === 'Role/esc/read-logs'), 'the pods/log grant is evidence');
    assert.deepEqual(hostPath('varlog-readonly', 'logs'), []);
    assert.deepEqual(hostPath('varlog-no-logs', 'logs'), []);
  });

  it('hostNetwork reaches the node; others do not', () => {
    assert.deepEqual(targets(bg, 'Pod/esc/host-network', 'host-network'), ['node-pool:*']);
    assert.deepEqual(targets(bg, 'Pod/esc/privileged', 'host-network'), []);
  });

  it('host path rules', () => {
    assert.equal(hostPathEscape('/var/run/docker.sock', 'Socket', false, false)?.weight, 1);
    assert.equal(hostPathEscape('/var/run', undefined, false, false)?.weight, 1); // holds the runtime sockets
    assert.equal(hostPathEscape('//etc//', undefined, true, false)?.weight, 1);
    assert.equal(hostPathEscape('/srv/../etc', undefined, true, false)?.weight, 1); // as the control normalises it
    assert.equal(hostPathEscape('/etc/kubernetes/pki', undefined, false, false)?.weight, 1); // the cluster CA's keys, read-only
    assert.equal(hostPathEscape('/var/lib/kubelet', undefined, false, false)?.weight, 2);
    assert.equal(hostPathEscape('/srv/www', undefined, true, true), undefined);
    assert.equal(hostPathEscape('/var/log/pods', undefined, true, false), undefined);
    assert.equal(hostPathEscape('/var/log/pods', undefined, true, true)?.weight, 2);
    // the same table as the hostPath control: a read-only single file that exposes nothing is no escape
    assert.equal(hostPathEscape('/etc/passwd', 'File', false, false), undefined);
    assert.equal(hostPathEscape('/etc/localtime', undefined, false, false), undefined);
    assert.equal(hostPathEscape('/etc/passwd', 'File', true, false)?.weight, 2); // writable: a new root account
  });
});

describe('graph: token and secret edges', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('tokens')));
  const token = (pod: string): string => `Pod/tok/${pod}#volume:kube-api-access`;

  it('a token is mounted by default and authenticates as the service account', () => {
    assert.deepEqual(targets(bg, c('default-mount', 'tok'), 'mounts'), [token('default-mount')]);
    assert.deepEqual(targets(bg, token('default-mount'), 'uses-token'), ['ServiceAccount/tok/app']);
  });

  it('automountServiceAccountToken: false on the pod or the service account stops it; the pod overrides the account', () => {
    assert.equal(bg.graph.find(token('pod-opt-out')), undefined);
    assert.equal(bg.graph.find(token('sa-opt-out')), undefined);
    assert.deepEqual(targets(bg, token('pod-overrides-sa'), 'uses-token'), ['ServiceAccount/tok/quiet']);
  });

  it('a projected token volume authenticates even with automount off', () => {
    assert.deepEqual(targets(bg, vol('projected', 'tok', 'tok'), 'uses-token'), ['ServiceAccount/tok/quiet']);
  });

  it('secret volumes and env references lead to the secrets', () => {
    assert.deepEqual(targets(bg, vol('secret-user', 'tls', 'tok'), 'reads-secret'), ['Secret/tok/tls-cert']);
    const env = edgesFrom(bg, c('secret-user', 'tok'), 'env-from-secret');
    assert.deepEqual(env.map((e) => e.target), ['Secret/tok/db']);
    assert.match(env[0]!.evidence[0]!.detail, /key password/);
  });

  it('a service-account-token Secret yields its account; an Opaque one with the same annotation does not', () => {
    assert.deepEqual(targets(bg, 'Secret/tok/app-token', 'steals-token'), ['ServiceAccount/tok/app']);
    assert.deepEqual(targets(bg, 'Secret/tok/looks-like-token', 'steals-token'), []);
  });
});

describe('graph: RBAC ability edges', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('rbac')));
  const abilities = (subject: string): string[] => edgesFrom(bg, subject).filter((e) => e.weight >= 0).map((e) => `${e.kind}>${e.target}`).sort();

  it('exec into pods of the namespace, and only there', () => {
    assert.deepEqual(abilities('User//execer'), ['exec-into-pods>scope:pods/team']);
    assert.deepEqual(abilities('User//viewer'), []);
  });

  it('creating a workload → every service account and every secret of the namespace, and a privileged pod unless Pod Security forbids it', () => {
    assert.deepEqual(abilities('User//deployer'), ['create-pods>scope:secrets/team', 'create-pods>scope:serviceaccounts/team', 'create-privileged-pod>scope:nodes/*']);
    assert.deepEqual(abilities('User//locked-deployer'), ['create-pods>scope:secrets/locked', 'create-pods>scope:serviceaccounts/locked']);
    // mounting a secret into a pod and getting it back is more work than reading it
    assert.equal(edgesFrom(bg, 'User//deployer', 'create-pods', 'scope:secrets/team')[0]!.weight, 2);
  });

  it('listing secrets reaches every secret of the namespace; reading one named secret does not', () => {
    assert.deepEqual(abilities('User//lister'), ['read-secrets>scope:secrets/team']);
    assert.deepEqual(abilities('User//named-reader'), []);
  });

  it('cluster-wide abilities reach every namespace', () => {
    assert.deepEqual(abilities('User//token-minter'), ['create-token>scope:serviceaccounts/*']);
    assert.ok(targets(bg, 'scope:serviceaccounts/*', 'contains').includes('scope:serviceaccounts/other'));
    assert.ok(targets(bg, 'scope:serviceaccounts/other', 'contains').includes('ServiceAccount/other/ops'));
  });

  it('impersonation, binding cluster-admin, CSR approval and admission changes', () => {
    assert.deepEqual(abilities('User//impersonator'), ['impersonate>cluster-admin']);
    assert.deepEqual(abilities('User//binder'), ['bind-escalate>cluster-admin']);
    assert.deepEqual(abilities('User//binder-limited'), []);
    assert.deepEqual(abilities('User//csr-approver'), ['approve-csr>cluster-admin']);
    assert.deepEqual(abilities('User//csr-half'), []);
    assert.deepEqual(abilities('User//webhook-admin'), ['change-admission>control-plane']);
  });

  it('nodes/proxy reaches every node (a group subject)', () => {
    assert.deepEqual(abilities('Group//monitoring'), ['kubelet-proxy>scope:nodes/*']);
  });

  it('a binding to the built-in cluster-admin makes the subject cluster-admin, with the binding as evidence', () => {
    const e = edgesFrom(bg, 'ServiceAccount/other/ops', 'is-cluster-admin');
    assert.equal(e.length, 1);
    assert.deepEqual(e[0]!.evidence.map((x) => x.object), ['ClusterRoleBinding//ops-admin', 'built-in//cluster-admin']);
    assert.equal(e[0]!.weight, 0);
  });

  it('structural edges (subject → binding → role) are exported but never weighted', () => {
    const bound = edgesFrom(bg, 'User//execer', 'bound-by');
    assert.deepEqual(bound.map((x) => [x.target, x.weight]), [['RoleBinding/team/exec', -1]]);
  });
});

describe('graph: network edges', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('network')));
  const reaches = (from: string, to: string): boolean => {
    const g = bg.graph;
    const a = g.find(from)!;
    const z = g.find(to)!;
    // pod → egress segment → ingress segment → pod
    for (let i = g.outStart[a]!; i < g.outStart[a + 1]!; i++) {
      const s = g.edgeDst[g.outEdges[i]!]!;
      if (g.kinds[s] !== 'network-segment') continue;
      for (let j = g.outStart[s]!; j < g.outStart[s + 1]!; j++) {
        const d = g.edgeDst[g.outEdges[j]!]!;
        for (let k = g.outStart[d]!; k < g.outStart[d + 1]!; k++) if (g.edgeDst[g.outEdges[k]!] === z) return true;
      }
    }
    return false;
  };

  it('pods reach each other where nothing isolates them', () => {
    assert.equal(reaches('Pod/open/client', 'Pod/open/server'), true);
    assert.equal(reaches('Pod/fenced/db', 'Pod/open/client'), true);
  });

  it('only long-lived pods that listen are entered: not a pod without a port, a Job, or a pod that is not restarted', () => {
    // the same-namespace policy allows db → neighbour, but the neighbour opens no port
    assert.equal(reaches('Pod/fenced/db', 'Pod/fenced/neighbour'), false);
    assert.equal(reaches('Pod/open/client', 'Job/open/migrate'), false);
    assert.equal(reaches('Pod/open/client', 'Pod/open/one-shot'), false);
    // they can still connect out while they run
    assert.equal(reaches('Job/open/migrate', 'Pod/open/server'), true);
  });

  it('a default-deny namespace admits only its own pods', () => {
    assert.equal(reaches('Pod/open/client', 'Pod/fenced/db'), false);
    assert.equal(reaches('Pod/fenced/neighbour', 'Pod/fenced/db'), true);
  });

  it('the evidence of a network step names the allowing policy', () => {
    const g = bg.graph;
    const ev = bg.networkEvidence(g.find('Pod/fenced/neighbour')!, g.find('Pod/fenced/db')!);
    assert.ok(ev.some((e) => e.object === 'NetworkPolicy/fenced/same-namespace' && e.role === 'cause'));
    assert.ok(ev.some((e) => e.object === 'Namespace//fenced' && e.detail.includes('egress')));
  });
});

describe('graph: node placement', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('placement')));

  it('nodeName pins the pod to its node; the node runs it', () => {
    assert.deepEqual(targets(bg, c('pinned', 'place'), 'container-escape'), ['Node//worker-1']);
    assert.ok(targets(bg, 'Node//worker-1', 'node-runs-pod').includes('Pod/place/pinned'));
    assert.equal(targets(bg, 'Node//worker-2', 'node-runs-pod').includes('Pod/place/pinned'), false);
  });

  it('nodeSelector pools hold the matching nodes', () => {
    assert.deepEqual(targets(bg, 'node-pool:pool=gpu', 'node-in-pool').sort(), ['Node//worker-1', 'node-pool-pods:pool=gpu']);
    assert.ok(targets(bg, 'node-pool-pods:pool=gpu', 'node-runs-pod').includes('Pod/place/gpu-job'));
    assert.ok(targets(bg, 'Node//worker-1', 'node-in-pool').includes('node-pool-pods:pool=gpu'));
    assert.equal(targets(bg, 'Node//worker-2', 'node-in-pool').includes('node-pool-pods:pool=gpu'), false);
  });

  it('a control-plane node leads to the control plane', () => {
    assert.deepEqual(targets(bg, 'Node//cp-1', 'control-plane-node'), ['control-plane']);
    assert.deepEqual(targets(bg, 'Node//worker-1', 'control-plane-node'), []);
  });

  it('nodes are crown jewels', () => {
    assert.equal(bg.graph.jewels[bg.graph.find('Node//worker-2')!], 'node');
    assert.equal(bg.graph.jewels[bg.graph.find('node-pool:pool=gpu')!], 'node');
  });

  const poolOf = (pod: string): string => targets(bg, c(pod, 'place'), 'container-escape')[0]!;
  const nodesOf = (pod: string): string[] => targets(bg, poolOf(pod), 'node-in-pool').filter((t) => t.startsWith('Node//')).sort();

  it('taints keep pods off nodes unless tolerated: the control-plane node runs only what tolerates it', () => {
    // condition tolerations (node.kubernetes.io/*) change nothing: the pod is in the `*` pool
    assert.equal(poolOf('free'), 'node-pool:*');
    assert.deepEqual(nodesOf('free'), ['Node//worker-1', 'Node//worker-2']);
    assert.equal(poolOf('tolerant-agent'), 'node-pool:*|tolerates:*:*');
    assert.deepEqual(nodesOf('tolerant-agent'), ['Node//cp-1', 'Node//worker-1', 'Node//worker-2', 'Node//worker-3']);
    // so escaping the untolerating pod reaches no control-plane node; the tolerating one does
    const reachesControlPlane = (pod: string): boolean => nodesOf(pod).some((n) => targets(bg, n, 'control-plane-node').length > 0);
    assert.equal(reachesControlPlane('free'), false);
    assert.equal(reachesControlPlane('tolerant-agent'), true);
  });

  it('required node affinity: In, NotIn, Exists, Gt, matchFields, terms OR-ed; an empty term selects nothing', () => {
    assert.deepEqual(nodesOf('batch-job'), ['Node//worker-3']);
    assert.deepEqual(nodesOf('wrong-value'), [], 'a toleration for another value does not tolerate the taint');
    assert.deepEqual(nodesOf('not-gpu'), ['Node//worker-2'], 'NotIn admits nodes without the label too, but not tainted ones');
    assert.deepEqual(nodesOf('newer-gen'), ['Node//worker-2', 'Node//worker-3']);
    assert.deepEqual(nodesOf('nowhere'), []);
    assert.equal(poolOf('batch-job'), 'node-pool:*|affinity:pool In (batch)|tolerates:dedicated=batch:NoExecute');
  });

  it('with Node objects known, pools share nodes only through nodes that admit both, and a node never leads on to other nodes', () => {
    assert.deepEqual(targets(bg, 'node-pool:pool=gpu', 'node-in-pool').filter((t) => !t.startsWith('Node//')), ['node-pool-pods:pool=gpu']);
    assert.deepEqual(targets(bg, 'node-pool:*', 'node-in-pool').filter((t) => !t.startsWith('Node//')), ['node-pool-pods:*']);
    // a node reaches the pods its pools may run there, and nothing that lands on another node
    for (const t of targets(bg, 'Node//worker-1', 'node-in-pool')) assert.ok(t.startsWith('node-pool-pods:'), t);
    for (const t of targets(bg, 'node-pool-pods:*', 'node-in-pool')) assert.fail(`pods of a pool lead on to ${t}`);
  });
});

describe('graph: node placement without Node objects', () => {
  it('any pool may share a node with pods that have no placement (worst case)', async () => {
    const { Inventory } = await import('../../src/inventory/inventory.js');
    const { buildSecurityGraph } = await import('../../src/graph/build.js');
    const pod = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }], ...spec } });
    const objects = [pod('a', {}), pod('b', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] })];
    const bg = buildSecurityGraph(new Inventory(objects.map((object, i) => ({ object, origin: { source: 'mem', documentIndex: i, itemPointer: '', line: 1, column: 1 } }))), {});
    assert.deepEqual(targets(bg, 'node-pool:*|tolerates:dedicated:*', 'node-in-pool').sort(), ['node-pool-pods:*', 'node-pool-pods:*|tolerates:dedicated:*']);
    assert.deepEqual(targets(bg, 'node-pool:*', 'node-in-pool').sort(), ['node-pool-pods:*', 'node-pool-pods:*|tolerates:dedicated:*']);
    assert.deepEqual(targets(bg, 'node-pool-pods:*', 'node-runs-pod'), ['Pod/x/a']);
  });
});

describe('graph: cloud identities', () => {
  let bg: BuiltGraph;
  before(async () => void (bg = await scenarioGraph('cloud')));

  it('workload identity annotations of AWS, GCP and Azure', () => {
    assert.deepEqual(targets(bg, 'ServiceAccount/cloud/s3-reader', 'cloud-identity'), ['cloud:eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/s3-reader']);
    assert.deepEqual(targets(bg, 'ServiceAccount/cloud/gcs-reader', 'cloud-identity'), ['cloud:iam.gke.io/gcp-service-account=gcs@proj.iam.gserviceaccount.com']);
    assert.deepEqual(targets(bg, 'ServiceAccount/cloud/blob-reader', 'cloud-identity'), ['cloud:azure.workload.identity/client-id=00000000-0000-0000-0000-000000000001']);
    assert.deepEqual(targets(bg, 'ServiceAccount/cloud/plain', 'cloud-identity'), []);
    assert.equal(bg.cloud, 'aws');
  });

  it('node instance metadata from hostNetwork pods and pods whose egress allows 169.254.169.254', () => {
    assert.deepEqual(targets(bg, 'Pod/cloud/host-net', 'instance-metadata'), ['cloud:node-instance-identity']);
    assert.deepEqual(targets(bg, 'Pod/cloud/open-egress', 'instance-metadata'), ['cloud:node-instance-identity']);
    assert.deepEqual(targets(bg, 'Pod/fenced/fenced-egress', 'instance-metadata'), []);
  });

  it('no instance metadata edges when the cloud is none', async () => {
    const none = await scenarioGraph('cloud', { cloud: 'none' });
    assert.equal(none.graph.find('cloud:node-instance-identity'), undefined);
  });
});

describe('graph: crown jewels', () => {
  it('annotation, option, and system-namespace secrets', async () => {
    const bg = await scenarioGraph('jewels', { crownJewels: ['Secret/data/ordinary'] });
    const j = (k: string): string | undefined => bg.graph.jewels[bg.graph.find(k)!];
    assert.equal(j('Secret/data/customer-db'), 'custom');
    assert.equal(j('Secret/data/ordinary'), 'custom');
    assert.equal(j('Secret/kube-system/etcd-backup-key'), 'system-secret');
    const plain = await scenarioGraph('jewels');
    assert.equal(plain.graph.jewels[plain.graph.find('Secret/data/ordinary')!], undefined);
  });
});
