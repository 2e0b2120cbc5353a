/** Network exposure and NetworkPolicy controls, judged by the network engine in src/network/. */
import type { Control } from '../engine/types.js';
import netNamespaceNoDefaultDenyIngress from './cluster/net-namespace-no-default-deny-ingress.js';
import netNamespaceNoDefaultDenyEgress from './cluster/net-namespace-no-default-deny-egress.js';
import netInternetExposedWithoutIngressPolicy from './cluster/net-internet-exposed-without-ingress-policy.js';
import netPolicySelectsNothing from './cluster/net-policy-selects-nothing.js';
import netEgressToAnyAddress from './cluster/net-egress-to-any-address.js';
import netEgressToCloudMetadata from './cluster/net-egress-to-cloud-metadata.js';
import netSensitiveIngressFromAnyNamespace from './cluster/net-sensitive-ingress-from-any-namespace.js';
import netNamedPortUnresolved from './cluster/net-named-port-unresolved.js';

export const networkControls: readonly Control[] = [
  netNamespaceNoDefaultDenyIngress,
  netNamespaceNoDefaultDenyEgress,
  netInternetExposedWithoutIngressPolicy,
  netPolicySelectsNothing,
  netEgressToAnyAddress,
  netEgressToCloudMetadata,
  netSensitiveIngressFromAnyNamespace,
  netNamedPortUnresolved,
];
