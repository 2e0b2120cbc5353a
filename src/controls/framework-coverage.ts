/**
 * Coverage of the CIS Kubernetes Benchmark section 5 (policies) and of the NSA-CISA Kubernetes
 * Hardening Guide (v1.2), item by item: the kordon controls that judge it, or why none does.
 * CIS controls are read from each control's `frameworks.cis` (the metadata is the source of
 * truth); NSA-CISA items name their controls here, since the guide's sections are broader than
 * one check, and add every control whose `frameworks.nsa` carries the item's slug. Rendered to docs/framework-coverage.md by `npm run docs`.
 */
import type { Control } from '../engine/types.js';

export interface CoverageItem {
  id: string;
  title: string;
  /** NSA-CISA: the controls that judge the item. CIS: taken from the controls' metadata. */
  kordon?: string[];
  /**
   * NSA-CISA: the item's key in the controls' `frameworks.nsa`; every control carrying it judges
   * the item too (added to `kordon`), so a new control is listed by its metadata alone.
   */
  slug?: string;
  /** Items of `kordon node` (on the node itself, docs/nodes.md) that judge it. */
  node?: string[];
  /** Why no control judges it (`not applicable: ...`, `not covered: ...`). */
  none?: string;
  /** What of the item the controls judge, when it is not all of it. */
  note?: string;
}

/** CIS Kubernetes Benchmark section 5 (v1.9 numbering, as the controls' metadata uses it). */
export const CIS_SECTION_5: readonly CoverageItem[] = [
  { id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required' },
  { id: '5.1.2', title: 'Minimize access to secrets' },
  { id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles' },
  { id: '5.1.4', title: 'Minimize access to create pods' },
  { id: '5.1.5', title: 'Ensure that default service accounts are not actively used' },
  { id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary' },
  { id: '5.1.7', title: 'Avoid use of system:masters group' },
  { id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions' },
  { id: '5.1.9', title: 'Minimize access to create persistent volumes' },
  { id: '5.1.10', title: 'Minimize access to the proxy sub-resource of nodes' },
  { id: '5.1.11', title: 'Minimize access to the approval sub-resource of certificatesigningrequests' },
  { id: '5.1.12', title: 'Minimize access to webhook configuration objects' },
  { id: '5.1.13', title: 'Minimize access to the service account token creation' },
  { id: '5.2.1', title: 'Ensure that the cluster has at least one active policy control mechanism in place' },
  { id: '5.2.2', title: 'Minimize the admission of privileged containers' },
  { id: '5.2.3', title: 'Minimize the admission of containers sharing the host process ID namespace' },
  { id: '5.2.4', title: 'Minimize the admission of containers sharing the host IPC namespace' },
  { id: '5.2.5', title: 'Minimize the admission of containers sharing the host network namespace' },
  { id: '5.2.6', title: 'Minimize the admission of containers with allowPrivilegeEscalation' },
  { id: '5.2.7', title: 'Minimize the admission of root containers' },
  { id: '5.2.8', title: 'Minimize the admission of containers with the NET_RAW capability' },
  { id: '5.2.9', title: 'Minimize the admission of containers with added capabilities' },
  { id: '5.2.10', title: 'Minimize the admission of containers with capabilities assigned' },
  { id: '5.2.11', title: 'Minimize the admission of Windows HostProcess containers' },
  { id: '5.2.12', title: 'Minimize the admission of HostPath volumes' },
  { id: '5.2.13', title: 'Minimize the admission of containers which use HostPorts' },
  { id: '5.3.1', title: 'Ensure that the CNI in use supports NetworkPolicies' },
  { id: '5.3.2', title: 'Ensure that all Namespaces have NetworkPolicies defined' },
  { id: '5.4.1', title: 'Prefer using Secrets as files over Secrets as environment variables' },
  { id: '5.4.2', title: 'Consider external secret storage' },
  { id: '5.5.1', title: 'Configure Image Provenance using ImagePolicyWebhook admission controller' },
  { id: '5.7.1', title: 'Create administrative boundaries between resources using namespaces' },
  { id: '5.7.2', title: 'Ensure that the seccomp profile is set to docker/default in your Pod definitions' },
  { id: '5.7.3', title: 'Apply SecurityContext to your Pods and Containers' },
  { id: '5.7.4', title: 'The default namespace should not be used' },
];

/** NSA-CISA Kubernetes Hardening Guide v1.2 (August 2022), its sections and subsections. */
export const NSA_CISA: readonly CoverageItem[] = [
  { id: 'Pod security: non-root containers and rootless container engines', title: 'Containers run as non-root users', kordon: ['KOR-0015', 'KOR-0016', 'KOR-0117', 'KOR-0118', 'KOR-0754', 'KOR-0158', 'KOR-0309'] },
  { id: 'Pod security: immutable container file systems', title: 'Read-only root filesystems', kordon: ['KOR-0107'] },
  { id: 'Pod security: building secure container images', title: 'Pinned images from trusted registries, scanned', kordon: ['KOR-0100', 'KOR-0111', 'KOR-0112', 'KOR-0113', 'KOR-0156'] },
  { id: 'Pod security: pod security enforcement', title: 'Privileged, host namespaces, capabilities, privilege escalation, enforced by admission', kordon: ['KOR-0140', 'KOR-0001', 'KOR-0002', 'KOR-0003', 'KOR-0004', 'KOR-0005', 'KOR-0006', 'KOR-0014', 'KOR-0018', 'KOR-0157', 'KOR-0230', 'KOR-0235', 'KOR-0252', 'KOR-0254', 'KOR-0243'] },
  { id: 'Pod security: protecting pod service account tokens', title: 'Tokens mounted only where needed', kordon: ['KOR-0108', 'KOR-0109', 'KOR-0110', 'KOR-0145', 'KOR-0159', 'KOR-0161', 'KOR-0163', 'KOR-0164'] },
  { id: 'Pod security: hardening container environments', title: 'Sandboxes, seccomp, AppArmor, SELinux', kordon: ['KOR-0017', 'KOR-0011', 'KOR-0008', 'KOR-0009'] },
  { id: 'Network separation: namespaces', title: 'Resources separated by namespace', kordon: ['KOR-0114', 'KOR-0115', 'KOR-0733'] },
  { id: 'Network separation: network policies', title: 'Default-deny and scoped NetworkPolicies, enforced by the CNI', kordon: ['KOR-0137', 'KOR-0300', 'KOR-0301', 'KOR-0302', 'KOR-0303', 'KOR-0756', 'KOR-0229', 'KOR-0253'] },
  { id: 'Network separation: resource policies', title: 'LimitRanges, ResourceQuotas, requests and limits', kordon: ['KOR-0105', 'KOR-0106', 'KOR-0101', 'KOR-0102'] },
  { id: 'Network separation: control plane hardening', title: 'API server not public, TLS, etcd protected, kubeconfig files protected', kordon: ['KOR-0500', 'KOR-0501', 'KOR-0502', 'KOR-0503', 'KOR-0505', 'KOR-0506', 'KOR-0507', 'KOR-0508', 'KOR-0510', 'KOR-0511', 'KOR-0512', 'KOR-0513', 'KOR-0514', 'KOR-0233'] },
  { id: 'Network separation: worker node segmentation', title: 'Worker nodes in private networks, segmented from the control plane', kordon: ['KOR-0153', 'KOR-0248'] },
  { id: 'Network separation: encryption', title: 'TLS for traffic, secrets encrypted at rest', kordon: ['KOR-0136', 'KOR-0506', 'KOR-0505', 'KOR-0510', 'KOR-0511', 'KOR-0308', 'KOR-0244', 'KOR-0247', 'KOR-0250', 'KOR-0313', 'KOR-0314'] },
  { id: 'Network separation: secrets', title: 'Secrets kept out of manifests and environment', kordon: ['KOR-0133', 'KOR-0127', 'KOR-0128', 'KOR-0129', 'KOR-0130', 'KOR-0131', 'KOR-0132', 'KOR-0245'] },
  { id: 'Network separation: protecting sensitive cloud infrastructure', title: 'Cloud metadata and credentials out of reach of pods', kordon: ['KOR-0150', 'KOR-0305', 'KOR-0151', 'KOR-0152', 'KOR-0023', 'KOR-0236', 'KOR-0022'] },
  { id: 'Authentication and authorization: authentication', title: 'Anonymous access disabled, strong user authentication', kordon: ['KOR-0220', 'KOR-0221', 'KOR-0500', 'KOR-0501', 'KOR-0512', 'KOR-0022', 'KOR-0155'] },
  { id: 'Authentication and authorization: role-based access control', title: 'Least-privilege RBAC', kordon: ['KOR-0141', 'KOR-0142', 'KOR-0200', 'KOR-0201', 'KOR-0205', 'KOR-0206', 'KOR-0208', 'KOR-0222', 'KOR-0225', 'KOR-0226', 'KOR-0227', 'KOR-0228', 'KOR-0229', 'KOR-0230', 'KOR-0231', 'KOR-0232', 'KOR-0233', 'KOR-0234', 'KOR-0159'] },
  { id: 'Audit logging: Kubernetes native audit logging configuration', title: 'API server audit policy and log backend', kordon: ['KOR-0504', 'KOR-0226'] },
  { id: 'Audit logging: worker node and container logging', title: 'Container logs collected off the node', kordon: ['KOR-0772'] },
  { id: 'Audit logging: seccomp audit mode', title: 'Seccomp profiles that log system calls', kordon: ['KOR-0011', 'KOR-0017'] },
  { id: 'Audit logging: SYSLOG', title: 'Node logs sent to a SYSLOG server', slug: 'syslog', node: ['node-logs-forwarded'], note: 'on the node: a forwarding rule of rsyslog, syslog-ng or systemd-journal-upload; an agent DaemonSet reading the journal is not seen there' },
  { id: 'Audit logging: SIEM platforms', title: 'Logs analysed in a SIEM', slug: 'siem-platforms', kordon: ['KOR-0772'], note: 'judged: audit events and container logs leave the cluster for a store; what the SIEM does with them is outside the cluster' },
  { id: 'Audit logging: service meshes', title: 'A service mesh for mTLS and traffic logs', slug: 'service-meshes', note: 'judged where Istio runs: mTLS STRICT; a cluster without a mesh passes, since the guide presents a mesh as an option; Linkerd encrypts meshed traffic by default' },
  { id: 'Audit logging: fault tolerance', title: 'Logs kept when a node or the log store fails', slug: 'fault-tolerance', kordon: ['KOR-0504', 'KOR-0772'], note: 'judged: audit log rotation keeping the newest events and a local copy beside a webhook backend, logs leaving the node; the log store\'s own redundancy is outside the cluster' },
  { id: 'Threat detection: alerting', title: 'Alerts on suspicious events and failing workloads', kordon: ['KOR-0736', 'KOR-0753', 'KOR-0737', 'KOR-0738', 'KOR-0311', 'KOR-0162', 'KOR-0315'] },
  { id: 'Threat detection: tools', title: 'Runtime threat detection tools', slug: 'threat-detection-tools', note: 'judged: a known runtime sensor runs as a DaemonSet on a cluster read live; a sensor installed on the hosts is not seen' },
  { id: 'Upgrading and application security practices', title: 'Current Kubernetes versions, no removed APIs, regular scans', kordon: ['KOR-0143', 'KOR-0154', 'KOR-0310', 'KOR-0520', 'KOR-0521', 'KOR-0525', 'KOR-0401'] },
];

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The CIS item's controls, from the metadata. */
export function cisControls(controls: readonly Control[], item: string): string[] {
  return controls.filter((c) => (c.frameworks.cis ?? []).includes(item)).map((c) => c.id).sort();
}

/** The NSA-CISA item's controls: those it names, then those whose metadata carries its slug. */
export function nsaControls(controls: readonly Control[], item: CoverageItem): string[] {
  const named = item.kordon ?? [];
  const tagged = item.slug ? controls.filter((c) => (c.frameworks.nsa ?? []).includes(item.slug!) && !named.includes(c.id)).map((c) => c.id).sort() : [];
  return [...named, ...tagged];
}

/** How a `kordon node` item is shown. */
const nodeLink = (id: string): string => `\`kordon node\` item [${id}](nodes.md#kordon-node)`;

/** Items of section 5 no manifest or API object can decide, with the reason. */
const CIS_NONE: Record<string, string> = {};

export function renderFrameworkCoverage(controls: readonly Control[], note: string): string {
  const name = (id: string): string => controls.find((c) => c.id === id)?.name ?? '';
  const link = (id: string): string => `[${id}](controls.md#${`${id}-${name(id)}`.toLowerCase()}) ${name(id)}`;
  const out = [`<!-- ${note} -->`, '', '# Framework coverage: CIS section 5 and the NSA-CISA guide', ''];
  out.push('Each item of the CIS Kubernetes Benchmark section 5 (policies) and of the NSA-CISA Kubernetes Hardening Guide, with the kordon controls that judge it, or why none does. CIS items are read from the controls\' metadata (`frameworks.cis`); an NSA-CISA item lists the controls it names and those whose `frameworks.nsa` carries its key; the `cis` and `nsa` presets select the same controls. A `kordon node` item is judged on the node itself (`kordon node --root /`, [nodes.md](nodes.md)), not by a scan, and is in no preset.', '');
  const cisCovered = CIS_SECTION_5.filter((i) => cisControls(controls, i.id).length > 0).length;
  out.push(`## CIS Kubernetes Benchmark, section 5`, '', `${cisCovered} of ${CIS_SECTION_5.length} items judged by at least one control.`, '', '| Item | Title | kordon |', '| --- | --- | --- |');
  for (const i of CIS_SECTION_5) {
    const ids = cisControls(controls, i.id);
    out.push(`| ${i.id} | ${cell(i.title)} | ${ids.length ? ids.map(link).join(', ') : cell(CIS_NONE[i.id] ?? 'not covered')} |`);
  }
  const nsaCovered = NSA_CISA.filter((i) => nsaControls(controls, i).length > 0 || i.node?.length).length;
  out.push('', '## NSA-CISA Kubernetes Hardening Guide (v1.2)', '', `${nsaCovered} of ${NSA_CISA.length} items judged by at least one control or \`kordon node\` item${nsaCovered < NSA_CISA.length ? '; the others say why not' : ''}.`, '', '| Section | What it asks | kordon |', '| --- | --- | --- |');
  for (const i of NSA_CISA) {
    const judged = [...nsaControls(controls, i).map(link), ...(i.node ?? []).map(nodeLink)];
    out.push(`| ${cell(i.id)} | ${cell(i.title)} | ${judged.length ? judged.join(', ') + (i.note ? ` (${cell(i.note)})` : '') : cell(i.none ?? 'not covered')} |`);
  }
  out.push('');
  return out.join('\n');
}
