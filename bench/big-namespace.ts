/**
 * One namespace of N applications, each a Deployment with its Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget, ConfigMap, PersistentVolumeClaim and Ingress (7 × N objects): the shape
 * where a control that compares every budget, autoscaler or Service with every workload of the
 * namespace turns quadratic. Then time every control on it with bench/control-costs.ts:
 *
 *   node --import tsx bench/big-namespace.ts 3000 bench/out/big-namespace.yaml
 *   node --import tsx bench/control-costs.ts bench/out/big-namespace.yaml
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const n = Number(process.argv[2] ?? 3000);
const out = process.argv[3] ?? 'bench/out/big-namespace.yaml';
const docs: string[] = [];
for (let i = 0; i < n; i++) {
  docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: big, labels: {app: app-${i}}}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}, team: t${i % 20}}}
    spec:
      containers:
      - name: app
        image: registry.example/app-${i}:1.${i}
        ports: [{name: http, containerPort: 8080}]
        envFrom: [{configMapRef: {name: cfg-${i}}}]
        volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: pvc-${i}}}]`);
  docs.push(`apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: big}
spec: {selector: {app: app-${i}}, ports: [{name: http, port: 80, targetPort: http}]}`);
  docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: app-${i}, namespace: big}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-${i}}, minReplicas: 3, maxReplicas: 9}`);
  docs.push(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: app-${i}, namespace: big}
spec: {minAvailable: 1, selector: {matchLabels: {app: app-${i}}}}`);
  docs.push(`apiVersion: v1
kind: ConfigMap
metadata: {name: cfg-${i}, namespace: big}
data: {A: "1"}`);
  docs.push(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc-${i}, namespace: big}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`);
  docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app-${i}, namespace: big}
spec: {rules: [{host: app-${i}.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app-${i}, port: {number: 80}}}}]}}]}`);
}
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${docs.join('\n---\n')}\n`);
console.log(`${out}: ${docs.length} objects in one namespace`);
