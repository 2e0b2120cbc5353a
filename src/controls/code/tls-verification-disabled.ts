import { defineControl, type Severity } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** Command-line flags that turn certificate verification off (bare, `=true`, or a value that disables it). */
const FLAGS: Array<{ re: RegExp; label: string; severity: Severity }> = [
  { re: /^--insecure-skip-tls-verify(?:=(?:true|1))?$/i, label: '--insecure-skip-tls-verify', severity: 'medium' },
  { re: /^--kubelet-insecure-tls(?:=(?:true|1))?$/i, label: '--kubelet-insecure-tls', severity: 'low' },
  { re: /^--skip-tls-verify(?:=(?:true|1))?$/i, label: '--skip-tls-verify', severity: 'medium' },
  { re: /^--tls-verify=false$/i, label: '--tls-verify=false', severity: 'medium' },
  { re: /^--no-check-certificate$/, label: '--no-check-certificate', severity: 'medium' },
];
/** curl -k / --insecure, inside a shell string or as its own argument after curl. */
const CURL_INSECURE = /\bcurl\b[^|;&\n]*\s(?:-k|--insecure|-[a-zA-Z]*k[a-zA-Z]*)(?=\s|$)/;
const GIT_NO_VERIFY = /\bhttp\.sslVerify[= ](?:false|0)\b/i;

/** Environment variables that turn verification off in a runtime or tool, and the values that do. */
const ENV: Array<{ name: string; off: RegExp; severity: Severity }> = [
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED', off: /^0$/, severity: 'medium' },
  { name: 'PYTHONHTTPSVERIFY', off: /^0$/, severity: 'medium' },
  { name: 'GIT_SSL_NO_VERIFY', off: /^(?:1|true|yes)$/i, severity: 'medium' },
  { name: 'CURL_INSECURE', off: /^(?:1|true|yes)$/i, severity: 'medium' },
  { name: 'GODEBUG', off: /(?:^|,)x509ignoreCN=1(?:,|$)/, severity: 'low' },
];

export default defineControl({
  id: 'KOR-0308',
  name: 'tls-verification-disabled',
  title: 'Container turns TLS certificate verification off',
  description:
    'A flag such as `--insecure-skip-tls-verify`, `curl -k`, `wget --no-check-certificate`, or a variable such as `NODE_TLS_REJECT_UNAUTHORIZED=0` or `GIT_SSL_NO_VERIFY=true` makes the process accept any certificate: whoever sits on the path (a compromised pod on the node network, a poisoned DNS answer, an ARP spoof) can read and change the traffic, credentials included, while everything looks encrypted. metrics-server\'s `--kubelet-insecure-tls` is graded low: it only reads metrics, but still trusts any kubelet.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['encryption'], mitre: ['T1557'] },
  remediation: 'Remove the flag or variable and give the process the CA that signed the server\'s certificate (a mounted CA bundle, `--certificate-authority`, `NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`).',
  messages: {
    flag: '{{kind}} "{{name}}" turns certificate verification off with {{what}} in its {{field}}.',
    env: '{{kind}} "{{name}}" turns certificate verification off with environment variable {{what}}.',
  },
  severityTable: [
    { case: 'a client or tool accepting any certificate (flags, curl -k, git, Node, Python)', severity: 'medium', reason: 'Traffic and the credentials it carries can be read and changed by anyone on the path.' },
    { case: 'metrics-server --kubelet-insecure-tls, GODEBUG x509ignoreCN=1', severity: 'low', reason: 'Metrics only, or a narrower relaxation of the check.' },
  ],
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    for (const field of ['command', 'args'] as const) {
      asArray<unknown>(container[field]).forEach((raw, i) => {
        if (typeof raw !== 'string') return;
        const arg = raw.trim();
        const flag = FLAGS.find((f) => f.re.test(arg)) ?? arg.split(/\s+/).map((w) => FLAGS.find((f) => f.re.test(w))).find(Boolean);
        const what = flag ? flag.label : CURL_INSECURE.test(arg) ? 'curl -k/--insecure' : GIT_NO_VERIFY.test(arg) ? 'git http.sslVerify=false' : undefined;
        if (what) ctx.report('flag', { kind, name: container.name, what, field }, `/${field}/${i}`, { severity: flag?.severity ?? 'medium' });
      });
    }
    asArray<{ name?: unknown; value?: unknown }>(container.env).forEach((e, i) => {
      if (!e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.value !== 'string') return;
      const value = e.value as string;
      const rule = ENV.find((r) => r.name === e.name && r.off.test(value.trim()));
      if (rule) ctx.report('env', { kind, name: container.name, what: rule.name }, `/env/${i}`, { severity: rule.severity });
    });
  },
});
