/**
 * The cost shape of every control: a control that looks a kind up for each object it judges
 * (every Node for every workload, every CRD for every Deployment) turns a cluster of 150,000 pods
 * from seconds into minutes (session 9: two capacity controls took the controls phase of the
 * 5,000-node benchmark from 17 s to 72 s). Counted, not timed: the same cluster with ten times the
 * workloads must not need ten times the kind look-ups.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { runControls } from '../../src/engine/run.js';
import { allControls } from '../../src/controls/index.js';

/** A live-cluster shape: nodes in three zones, Prometheus Operator monitors, and `workloads` apps with their Service, HPA and PDB. */
function clusterText(workloads: number): string {
  const docs: string[] = [];
  for (let i = 0; i < 12; i++) {
    const role = i < 2 ? '\n    node-role.kubernetes.io/control-plane: ""' : '';
    docs.push(`apiVersion: v1
kind: Node
metadata:
  name: node-${i}
  labels:
    kubernetes.io/hostname: node-${i}
    topology.kubernetes.io/zone: zone-${i % 3}${role}
spec: {}
status:
  allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
  nodeInfo: {kubeletVersion: v1.34.2}`);
  }
  docs.push(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicemonitors.monitoring.coreos.com}
spec: {group: monitoring.coreos.com, scope: Namespaced, names: {kind: ServiceMonitor, plural: servicemonitors}, versions: [{name: v1, served: true, storage: true}]}`);
  for (let n = 0; n < 4; n++) {
    docs.push(`apiVersion: v1
kind: Namespace
metadata: {name: team-${n}}`);
    docs.push(`apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: mon-${n}, namespace: team-${n}}
spec: {selector: {matchLabels: {monitored: "yes"}}, endpoints: [{port: http}]}`);
    docs.push(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs, namespace: team-${n}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: devs-${n}, apiGroup: rbac.authorization.k8s.io}]`);
  }
  for (let i = 0; i < workloads; i++) {
    const ns = `team-${i % 4}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ${ns}}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector: {matchLabels: {app: app-${i}}}
      containers:
      - name: app
        image: registry.example/app-${i}:1.${i}
        ports: [{name: http, containerPort: 8080}]
        resources: {requests: {cpu: 500m, memory: 256Mi}}
        envFrom: [{configMapRef: {name: cfg-${i}}}]`);
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: ${ns}, labels: {monitored: "${i % 2 ? 'yes' : 'no'}"}}
spec: {selector: {app: app-${i}}, ports: [{name: http, port: 80, targetPort: http}]}`);
    docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: app-${i}, namespace: ${ns}}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-${i}}, minReplicas: 3, maxReplicas: 12}`);
    docs.push(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: app-${i}, namespace: ${ns}}
spec: {minAvailable: 1, selector: {matchLabels: {app: app-${i}}}}`);
  }
  return docs.join('\n---\n') + '\n';
}

function kindLookups(workloads: number): Map<string, number> {
  const counts = new Map<string, number>();
  const parsed = parseManifestText('cluster.yaml', clusterText(workloads));
  assert.equal(parsed.problems.length, 0);
  for (const control of allControls) {
    const inv = new Inventory(parsed.objects, []);
    const byKind = inv.byKind.bind(inv);
    let calls = 0;
    inv.byKind = (kind: string) => {
      calls++;
      return byKind(kind);
    };
    runControls(inv, [control]);
    counts.set(`${control.id} ${control.name}`, calls);
  }
  return counts;
}

/** The controls whose count grew more than `factor` times (plus `slack`) from the small input to the large one. */
function growing(small: Map<string, number>, large: Map<string, number>, factor: number, slack: number): string[] {
  return [...large].filter(([id, n]) => n > factor * small.get(id)! + slack).map(([id, n]) => `${id}: ${small.get(id)} → ${n}`);
}

test('no control looks a kind up again for every object it judges (ten times the workloads, not ten times the look-ups)', () => {
  const small = kindLookups(20);
  const large = kindLookups(200);
  assert.deepEqual(growing(small, large, 2, 10), []);
  // the count is real: the catalogue does look kinds up
  assert.ok([...large.values()].reduce((a, b) => a + b, 0) > allControls.length);
});

/** One namespace of `apps` applications, each a Deployment with its Service, budget, autoscaler, NetworkPolicy, ServiceMonitor and Ingress. */
function namespaceText(apps: number): string {
  const docs: string[] = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: big}'];
  for (let i = 0; i < apps; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: big}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}, team: t${i % 5}}}
    spec:
      containers: [{name: app, image: "registry.example/app-${i}:1.${i}", ports: [{name: http, containerPort: 8080}]}]`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app-${i}, namespace: big, labels: {app: app-${i}}}\nspec: {selector: {app: app-${i}}, ports: [{name: http, port: 80, targetPort: http}]}`);
    docs.push(`apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: app-${i}, namespace: big}\nspec: {minAvailable: 1, selector: {matchLabels: {app: app-${i}}}}`);
    docs.push(`apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: app-${i}, namespace: big}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-${i}}, minReplicas: 3, maxReplicas: 9}`);
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: app-${i}, namespace: big}\nspec: {podSelector: {matchLabels: {app: app-${i}}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {team: t${i % 5}}}}], ports: [{port: 8080}]}]}`);
    docs.push(`apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: app-${i}, namespace: big}\nspec: {selector: {matchLabels: {app: app-${i}}}, endpoints: [{port: http}]}`);
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: app-${i}, namespace: big}\nspec: {rules: [{host: app-${i}.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app-${i}, port: {number: 80}}}}]}}]}`);
  }
  return docs.join('\n---\n') + '\n';
}

/** Per control, how often the pod labels of the namespace's workloads (and its Services' labels) are read. */
function labelReads(apps: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const control of allControls) {
    const parsed = parseManifestText('big.yaml', namespaceText(apps));
    let reads = 0;
    const counted = (labels: Record<string, string>): Record<string, string> =>
      new Proxy(labels, {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver);
        },
      });
    for (const o of parsed.objects) {
      // the pod labels of workloads, and the labels of Services (what monitors select)
      const meta = o.object.kind === 'Service' ? o.object.metadata : (o.object as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata;
      if (meta?.labels) meta.labels = counted(meta.labels);
    }
    runControls(new Inventory(parsed.objects, []), [control]);
    counts.set(`${control.id} ${control.name}`, reads);
  }
  return counts;
}

test('no control compares every workload of a namespace with every budget, Service, autoscaler, policy or monitor there (ten times the applications, not a hundred times the label reads)', () => {
  const small = labelReads(20);
  const large = labelReads(200);
  assert.deepEqual(growing(small, large, 15, 50), []);
  // the count is real: the availability controls do read the labels
  assert.ok((large.get('KOR-0701 workload-without-pdb') ?? 0) >= 200);
});
