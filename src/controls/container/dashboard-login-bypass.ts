import { defineControl, type Severity } from '../../engine/types.js';
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** Kubernetes Dashboard images: `kubernetesui/dashboard`, v3's `dashboard-api`/`-web`/`-auth`, the old `kubernetes-dashboard-amd64`. */
export function isDashboardImage(image: string): boolean {
  const repo = parseImageRef(image).repository.toLowerCase();
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  return /(?:^|\/)kubernetesui\/dashboard(?:-(?:api|web|auth))?$/.test(repo) || last.startsWith('kubernetes-dashboard');
}

/** Flags and what each one gives away. A flag counts when bare or set to true. */
const FLAGS: Array<{ flag: string; severity: Severity; gives: string }> = [
  { flag: '--enable-skip-login', severity: 'high', gives: 'a Skip button that uses the Dashboard\'s own service account, no login needed' },
  { flag: '--enable-insecure-login', severity: 'medium', gives: 'logins over plain HTTP, tokens readable on the wire' },
  { flag: '--disable-settings-authorizer', severity: 'low', gives: 'any user may change the Dashboard\'s global settings' },
];

function flagOn(arg: string, flag: string): boolean {
  if (arg === flag) return true;
  if (!arg.startsWith(`${flag}=`)) return false;
  return /^(?:true|1|t)$/i.test(arg.slice(flag.length + 1).trim());
}

export default defineControl({
  id: 'KOR-0155',
  name: 'dashboard-login-bypass',
  title: 'Kubernetes Dashboard lets users skip login',
  description:
    'The Kubernetes Dashboard acts with the token of whoever logs in. `--enable-skip-login` adds a Skip button that acts with the Dashboard\'s own service account instead (in many installs bound to broad or cluster-admin roles): anyone who reaches the page controls what that account can (the 2018 Tesla cryptojacking started at such a Dashboard). `--enable-insecure-login` accepts logins over plain HTTP; `--disable-settings-authorizer` lets every user change global settings.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1133', 'T1078'] },
  remediation: 'Remove `--enable-skip-login`, `--enable-insecure-login` and `--disable-settings-authorizer` from the Dashboard\'s arguments; reach it with `kubectl proxy` or behind an authenticating proxy, logging in with personal tokens.',
  messages: { flag: '{{kind}} "{{name}}" runs the Kubernetes Dashboard with {{flag}}: {{gives}}.' },
  severityTable: FLAGS.map((f) => ({ case: f.flag, severity: f.severity, reason: `${f.gives[0]!.toUpperCase()}${f.gives.slice(1)}.` })),
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (typeof container.image !== 'string' || !isDashboardImage(container.image)) return;
    for (const field of ['command', 'args'] as const) {
      asArray<unknown>(container[field]).forEach((arg, i) => {
        if (typeof arg !== 'string') return;
        for (const f of FLAGS) {
          if (flagOn(arg.trim(), f.flag)) ctx.report('flag', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, flag: f.flag, gives: f.gives }, `/${field}/${i}`, { severity: f.severity });
        }
      });
    }
  },
});
