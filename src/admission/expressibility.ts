/**
 * Why a control has no `cel` rule: an admission policy sees one object (and its request) at a
 * time, so controls that need other objects, or heuristics CEL cannot run within the API
 * server's cost budget, stay with the scan and the webhook (which keeps an inventory).
 */
import type { Control } from '../engine/types.js';

const NEEDS_RBAC = 'judges effective permissions, which come from every Role, ClusterRole and binding together (kordon\'s RBAC engine); an admission policy sees one object at a time';
const HOST_PATH_TABLE = 'grades host paths by kordon\'s table of sensitive paths, with prefix and read-only rules per entry: too costly to write and keep equal in CEL; the webhook serves it';

const REASONS: Readonly<Record<string, string>> = {
  'KOR-0008': 'the AppArmor profile comes from fields and from the deprecated per-container annotations, merged by version rules of the Pod Security Standards; not written in CEL yet (the webhook serves it)',
  'KOR-0009': 'the SELinux options are checked per type and level against version-dependent lists; not written in CEL yet (the webhook serves it)',
  'KOR-0108': 'a pod that does not set automountServiceAccountToken takes the setting of its ServiceAccount, another object',
  'KOR-0119': 'decides whether a container is long-running from its kind, restart policy and workload, with kordon\'s table of jobs and sidecars; not written in CEL yet (the webhook serves it)',
  'KOR-0120': 'needs the Services that select the pod (another object)',
  'KOR-0121': HOST_PATH_TABLE,
  'KOR-0122': HOST_PATH_TABLE,
  'KOR-0123': HOST_PATH_TABLE,
  'KOR-0124': HOST_PATH_TABLE,
  'KOR-0125': 'needs the node network exposure of the ports, judged with the Services and NetworkPolicies around the pod',
  'KOR-0128': 'recognises credentials by key names and value patterns with entropy; values must never leave kordon, and the heuristics do not fit the CEL cost budget',
  'KOR-0129': 'recognises credentials by key names and value patterns with entropy; values must never leave kordon, and the heuristics do not fit the CEL cost budget',
  'KOR-0130': 'recognises credentials in command lines with kordon\'s patterns and entropy; they do not fit the CEL cost budget',
  'KOR-0131': 'parses the last-applied-configuration annotation as JSON, which CEL cannot',
  'KOR-0132': 'recognises credentials by key names and value patterns with entropy; they do not fit the CEL cost budget',
  'KOR-0133': 'about manifests that carry secret values in a repository (Develop phase); at admission every Secret carries its data',
  'KOR-0136': 'matches TLS hosts against rule hosts with wildcards; not written in CEL yet (the webhook serves it)',
  'KOR-0143': 'at admission the API server has already converted the object to the version the policy asks for; the version written in the manifest is not visible',
  'KOR-0148': 'recognises download-and-execute pipelines with kordon\'s shell patterns over command and args; not written in CEL yet (the webhook serves it)',
  'KOR-0149': 'depends on the ingress-nginx controller\'s configuration (another object: its ConfigMap)',
  'KOR-0151': HOST_PATH_TABLE,
  'KOR-0152': 'needs the ServiceAccount and its cloud identity annotations (another object)',
  'KOR-0153': 'judges Node status addresses, which the kubelet writes through the status subresource',
  'KOR-0022': 'parses the aws-auth ConfigMap\'s mapRoles and mapUsers, YAML text inside a string, which CEL cannot parse',
  'KOR-0023': 'names cloud SDK key variables read from Secrets or mounted files; not written in CEL yet (the webhook serves it)',
  'KOR-0154': 'recognises Tiller by image repository across mirrors; not written in CEL yet (the webhook serves it)',
  'KOR-0155': 'recognises the Dashboard by image and its flags in command and args; not written in CEL yet (the webhook serves it)',
  'KOR-0156': 'parses image references by the distribution grammar (registry, repository) and offers the rewritten reference; not written in CEL yet (the webhook serves it)',
  'KOR-0158': 'resolves the Windows user name per container with the pod default; not written in CEL yet (the webhook serves it)',
  'KOR-0159': NEEDS_RBAC,
  'KOR-0234': 'matches the aggregated rules with the RBAC authorizer\'s wildcard and subresource semantics (kordon\'s matcher); not written in CEL yet (the webhook serves it)',
  'KOR-0235': 'recognises policy engines by the names of the webhook, its configuration and its Service; not written in CEL yet (the webhook serves it)',
  'KOR-0236': 'matches ExternalName targets against kordon\'s list of metadata names and loopback and link-local addresses; not written in CEL yet (the webhook serves it)',
  'KOR-0308': 'recognises TLS-verification switches in command lines and environment with kordon\'s shell patterns; they do not fit the CEL cost budget',
  'KOR-0309': 'recognises sudo in command lines with kordon\'s shell patterns; not written in CEL yet (the webhook serves it)',
  'KOR-0310': 'parses JDWP, inspector and debugger options in command lines and environment; they do not fit the CEL cost budget',
  'KOR-0311': 'recognises reverse shells and miners with kordon\'s shell patterns over command, args and image; they do not fit the CEL cost budget',
  'KOR-0312': 'recognises nsenter aimed at PID 1 with kordon\'s shell patterns; not written in CEL yet (the webhook serves it)',
  'KOR-0244': 'judges APIServices, which a ValidatingAdmissionPolicy generated by kordon does not match yet (kordon\'s policy generator knows no resource for the kind); the webhook serves it',
  'KOR-0245': 'parses webhook URLs to tell cluster-internal names from outside hosts; not written in CEL yet (the webhook serves it)',
  'KOR-0246': 'matches route paths against kordon\'s table of debug and admin endpoints; not written in CEL yet (the webhook serves it)',
  'KOR-0247': 'looks at every listener of a Gateway for one with TLS; not written in CEL yet (the webhook serves it)',
  'KOR-0248': 'reads tolerations and node affinity against the control-plane taint, skipping node agents and system namespaces; not written in CEL yet (the webhook serves it)',
  'KOR-0249': 'knows the system namespaces allowed the system priority classes; not written in CEL yet (the webhook serves it)',
  'KOR-0161': 'needs the Secret the pod refers to (its type and service account annotation), another object',
  'KOR-0162': 'reports ephemeral containers already added to running pods (their audit trail); who may add them is RBAC\'s concern (KOR-0211)',
  'KOR-0164': 'follows KUBECONFIG to the volume mounted at its path and that volume\'s source; not written in CEL yet (the webhook serves it)',
  'KOR-0250': 'reads annotations together with the Ingress\'s TLS hosts; not written in CEL yet (the webhook serves it)',
  'KOR-0251': 'needs the ServiceAccounts of the subject\'s namespace (other objects)',
  'KOR-0252': 'recognises policy engines by the names of the webhook, its configuration and its Service; not written in CEL yet (the webhook serves it)',
  'KOR-0253': 'reads NetworkPolicy rules and CIDRs; not written in CEL yet (the webhook serves it)',
  'KOR-0254': 'judges ValidatingAdmissionPolicyBindings, a kind kordon\'s policy generator knows no resource for; a policy guarding policies would also have to exempt itself',
  'KOR-0313': 'recognises downloads and their hosts in command lines with kordon\'s shell patterns; they do not fit the CEL cost budget',
  'KOR-0314': 'recognises SSH options in command lines and environment with kordon\'s patterns; not written in CEL yet (the webhook serves it)',
  'KOR-0304': 'reads AdminNetworkPolicies and NetworkPolicies with kordon\'s CIDR arithmetic; not written in CEL yet',
  'KOR-0305': 'reads AdminNetworkPolicies and NetworkPolicies with kordon\'s CIDR arithmetic (cloud metadata addresses); not written in CEL yet',
};

/** Reliability controls that read what controllers and the kubelet write (status), which admission of the object never sees. */
const FROM_STATUS = new Set(['KOR-0721', 'KOR-0722', 'KOR-0723', 'KOR-0737', 'KOR-0738', 'KOR-0739', 'KOR-0740', 'KOR-0741', 'KOR-0766', 'KOR-0803', 'KOR-0805', 'KOR-0804', 'KOR-0806', 'KOR-0807', 'KOR-0808', 'KOR-0809', 'KOR-0815', 'KOR-0819', 'KOR-0820', 'KOR-0821', 'KOR-0826']);
/** Reliability controls that judge an object against others (the Services, HPAs, PDBs, StorageClasses, ConfigMaps... around it). */
const WITH_OTHERS = new Set(['KOR-0700', 'KOR-0701', 'KOR-0703', 'KOR-0706', 'KOR-0707', 'KOR-0716', 'KOR-0725', 'KOR-0730', 'KOR-0731', 'KOR-0732', 'KOR-0736', 'KOR-0744', 'KOR-0745', 'KOR-0751', 'KOR-0753', 'KOR-0757', 'KOR-0758', 'KOR-0759', 'KOR-0760', 'KOR-0762', 'KOR-0763', 'KOR-0764', 'KOR-0769', 'KOR-0770', 'KOR-0771', 'KOR-0773', 'KOR-0779', 'KOR-0783', 'KOR-0793', 'KOR-0794', 'KOR-0801', 'KOR-0802', 'KOR-0810', 'KOR-0825']);
/** Reliability controls whose rule the API server already enforces itself (its own validation or admission refuses the object). */
const API_SERVER_RULE = new Set(['KOR-0774', 'KOR-0787', 'KOR-0790', 'KOR-0799', 'KOR-0827']);
/** Reliability controls on custom resources (Velero, snapshots, Prometheus Operator, Argo CD, Flux): the generated policies match built-in kinds only. */
const CUSTOM_RESOURCE = new Set(['KOR-0777', 'KOR-0784', 'KOR-0785', 'KOR-0816']);

export function notExpressibleReason(control: Control): string {
  const specific = REASONS[control.id];
  if (specific) return specific;
  if (control.id.startsWith('KOR-040')) return 'judges the image\'s vulnerabilities from scanner reports and runtime evidence, which an admission request does not carry';
  if (control.id.startsWith('KOR-052')) return 'compares versions with kordon\'s dated vulnerability and end-of-life data files, which a policy cannot read';
  if (control.id.startsWith('KOR-05')) return 'judges the control plane\'s and the nodes\' own configuration (static pods the kubelet makes, kubelet configuration read through the node proxy): refusing the kubelet\'s mirror pod would not stop the component, so the scan reports it';
  if (FROM_STATUS.has(control.id)) return 'judges the status that controllers and the kubelet write later (restarts, phases, conditions); admission sees the object before any of it';
  if (WITH_OTHERS.has(control.id)) return 'judges the object against others (the Services, autoscalers, budgets, storage classes, ConfigMaps or Secrets around it); an admission policy sees one object at a time';
  if (API_SERVER_RULE.has(control.id)) return 'the API server refuses these objects itself (its validation runs before admission policies): the scan reports them before they reach it';
  if (CUSTOM_RESOURCE.has(control.id)) return 'judges a custom resource (Velero, snapshot classes, Prometheus Operator, Argo CD, Flux) whose API the cluster may not serve; not written in CEL yet (the webhook serves it)';
  if (control.id === 'KOR-0290') return 'reports what the input\'s own ValidatingAdmissionPolicies decide: at admission the API server applies those policies itself';
  if ((control.id.startsWith('KOR-07') || control.id.startsWith('KOR-08')) && control.targets !== 'inventory') return 'a rule on one object that has no CEL rule yet; the scan and the webhook judge it';
  if (control.id.startsWith('KOR-02')) return NEEDS_RBAC;
  if (control.targets === 'inventory') return 'judges several objects together (kordon reads the whole inventory); an admission policy sees one object at a time';
  return 'no CEL rule written for this control';
}
