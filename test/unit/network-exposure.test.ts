import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { computeExposure } from '../../src/network/exposure.js';

function inventory(yaml: string): Inventory {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject);
  return new Inventory(objects.map((object, i) => ({ object, origin: { source: 'mem', documentIndex: i, itemPointer: '', line: 1, column: 1 } })));
}

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: c
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: c
          ports: [{name: grpc, containerPort: 9000}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers:
        - name: c
          ports: [{containerPort: 9100}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops, labels: {app: debug}}
spec:
  containers:
    - name: c
      ports: [{containerPort: 22, hostPort: 2222}]
`;

describe('exposure', () => {
  it('follows Ingress → Service → pods with named target ports, and TLS per host', () => {
    const inv = inventory(`${WORKLOADS}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{hosts: [secure.example.com]}]
  rules:
    - host: secure.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
    - host: plain.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    const web = computeExposure(inv).find((e) => e.workload.display === 'shop/web[Deployment]');
    assert.equal(web?.level, 'internet');
    const internet = web!.paths.filter((p) => p.level === 'internet');
    assert.deepEqual(internet.map((p) => [p.hosts?.[0], p.tls, p.ports[0]?.containerPort]).sort(), [['plain.example.com', false, 8080], ['secure.example.com', true, 8080]]);
    assert.deepEqual(internet[0]!.chain.map((c) => c.kind), ['Ingress', 'Service']);
  });

  it('grades LoadBalancer (internal annotation), NodePort, externalIPs, hostNetwork and hostPort', () => {
    const inv = inventory(`${WORKLOADS}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop, annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}}
spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 443, targetPort: grpc}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 443, targetPort: 8080, nodePort: 30443}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-ext, namespace: shop}
spec: {selector: {app: web}, externalIPs: [198.51.100.7], ports: [{port: 80, targetPort: http}]}
`);
    const byName = new Map(computeExposure(inv).map((e) => [e.workload.display, e]));
    assert.equal(byName.get('shop/api[Deployment]')?.level, 'node-network');
    assert.equal(byName.get('shop/api[Deployment]')?.paths[0]?.ports[0]?.containerPort, 9000);
    const web = byName.get('shop/web[Deployment]')!;
    assert.equal(web.level, 'internet');
    assert.ok(web.paths.some((p) => p.level === 'node-network' && p.ports[0]?.exposedPort === 30443));
    assert.ok(web.paths.some((p) => p.chain[0]?.detail.startsWith('externalIPs')));
    assert.equal(byName.get('ops/agent[DaemonSet]')?.level, 'node-network');
    assert.equal(byName.get('ops/debug[Pod]')?.paths[0]?.ports[0]?.exposedPort, 2222);
  });

  it('follows Gateway listeners, route parentRefs, allowedRoutes and ReferenceGrants', () => {
    const base = `${WORKLOADS}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 9000, targetPort: grpc}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: public
  listeners:
    - {name: https, protocol: HTTPS, port: 443, allowedRoutes: {namespaces: {from: All}}}
    - {name: internal-only, protocol: HTTP, port: 8080}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: infra}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  hostnames: [api.example.com]
  rules: [{backendRefs: [{name: api, namespace: shop, port: 9000}]}]
`;
    const noGrant = computeExposure(inventory(base)).find((e) => e.workload.display === 'shop/api[Deployment]');
    assert.equal(noGrant?.paths.some((p) => p.level === 'internet'), false, 'cross-namespace backend needs a ReferenceGrant');
    const granted = computeExposure(
      inventory(`${base}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-infra, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
  to: [{group: "", kind: Service}]
`),
    ).find((e) => e.workload.display === 'shop/api[Deployment]');
    assert.equal(granted?.level, 'internet');
    const path = granted!.paths.find((p) => p.level === 'internet')!;
    assert.deepEqual(path.chain.map((c) => c.kind), ['Gateway', 'HTTPRoute', 'Service']);
    assert.equal(path.tls, true);
    assert.deepEqual(path.ports[0], { containerPort: 9000, protocol: 'TCP', exposedPort: 443 });
  });
});

describe('KOR-0302 names every route from the internet', () => {
  it('an Ingress route and a LoadBalancer: both listed, the LoadBalancer with its type', async () => {
    const { scanPaths } = await import('../../src/scan.js');
    const r = await scanPaths(['examples/shop/00-namespaces.yaml', 'examples/shop/10-web.yaml']);
    const f = r.findings.find((x) => x.controlId === 'KOR-0302' && x.object?.name === 'storefront');
    assert.ok(f, 'the storefront is reported');
    assert.equal(f.message, 'shop-web/storefront[Deployment] is reachable from the internet via Ingress shop-web/storefront -> Service shop-web/storefront and Service shop-web/storefront (type LoadBalancer), but no NetworkPolicy restricts its ingress.');
  });
});
