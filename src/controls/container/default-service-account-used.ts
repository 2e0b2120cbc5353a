import { defineControl } from '../../engine/types.js';
import { isMirrorPod } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0110',
  name: 'default-service-account-used',
  title: 'Pod runs as the default service account',
  description:
    'A pod that names no service account runs as the namespace\'s `default` ServiceAccount, shared by every other such pod. Permissions granted to it for one workload leak to all of them, and its identity tells nothing about which workload acted in audit logs. Each workload should have its own account with only the permissions it needs.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['service-account-tokens', 'rbac'], cis: ['5.1.5'], mitre: ['T1078.001'] },
  remediation: 'Create a dedicated ServiceAccount for the workload and set `serviceAccountName` to it.',
  messages: {
    unset: 'The pod names no service account and runs as "default".',
    explicit: 'The pod explicitly runs as the "default" service account.',
    live: 'The pod runs as the "default" service account (read from the cluster: the API server names it when a pod names none).',
  },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    // a static pod runs with no service account at all (the kubelet runs it from a file)
    if (isMirrorPod(object)) return;
    const name = podSpec.serviceAccountName || podSpec.serviceAccount;
    if (name === undefined || name === '') ctx.report('unset', {}, '');
    else if (name === 'default') {
      // a Pod read from a cluster always names its account: the ServiceAccount admission plugin
      // fills in "default" when the manifest named none, so "explicitly" would not be known to be true
      const live = ctx.item?.object.kind === 'Pod' && (ctx.item.origin.via === 'cluster' || ctx.item.origin.via === 'snapshot');
      ctx.report(live ? 'live' : 'explicit', {}, podSpec.serviceAccountName ? '/serviceAccountName' : '/serviceAccount');
    }
  },
  cel: {
    // a static pod's mirror names no account (the kubelet makes it): let it in, as the control does
    expression: "(has(object.metadata.annotations) && 'kubernetes.io/config.mirror' in object.metadata.annotations) || (has(variables.podSpec.serviceAccountName) && variables.podSpec.serviceAccountName != '' && variables.podSpec.serviceAccountName != 'default')",
    message: 'Pods must run as a dedicated service account, not "default".',
  },
});
