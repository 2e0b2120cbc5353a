/**
 * The Cloud layer's node and control-plane controls (ids KOR-0500..KOR-0699): CIS Kubernetes
 * Benchmark sections 1–4 as the API shows them, node versions against known vulnerabilities and
 * end of life.
 */
import type { Control } from '../engine/types.js';
import c0500 from './cloud/apiserver-anonymous-auth.js';
import c0501 from './cloud/apiserver-authentication.js';
import c0502 from './cloud/apiserver-authorization-mode.js';
import c0503 from './cloud/apiserver-admission-plugins.js';
import c0504 from './cloud/apiserver-audit-log.js';
import c0505 from './cloud/apiserver-tls.js';
import c0506 from './cloud/apiserver-encryption-at-rest.js';
import c0507 from './cloud/control-plane-profiling.js';
import c0508 from './cloud/control-plane-bind-address.js';
import c0509 from './cloud/controller-manager-credentials.js';
import c0510 from './cloud/etcd-client-tls.js';
import c0511 from './cloud/etcd-peer-tls.js';
import c0512 from './cloud/kubelet-anonymous-auth.js';
import c0513 from './cloud/kubelet-authorization.js';
import c0514 from './cloud/kubelet-read-only-port.js';
import c0515 from './cloud/kubelet-hardening.js';
import c0516 from './cloud/kube-proxy-metrics-bind-address.js';
import c0520 from './cloud/kubernetes-version-vulnerable.js';
import c0521 from './cloud/kubernetes-end-of-life.js';
import c0522 from './cloud/kubelet-version-skew.js';
import c0523 from './cloud/container-runtime-escape-cve.js';
import c0524 from './cloud/node-kernel-escape-cve.js';
import c0525 from './cloud/node-os-end-of-life.js';

export const nodeControls: readonly Control[] = [c0500, c0501, c0502, c0503, c0504, c0505, c0506, c0507, c0508, c0509, c0510, c0511, c0512, c0513, c0514, c0515, c0516, c0520, c0521, c0522, c0523, c0524, c0525];
