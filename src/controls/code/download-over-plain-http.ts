import { defineControl, type Severity } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** `curl`/`wget` (or `git clone`, `pip install --index-url`) fetching an `http://` URL. */
const FETCH_HTTP = /\b(?:curl|wget|git\s+clone|pip3?\s+install|apk\s+add|npm\s+install)\b[^;&|\n]*\bhttp:\/\/([^\s/"':]+)/g;

/** Hosts reached inside the cluster or the pod, where plain HTTP does not cross a network an attacker shares. */
function isLocal(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.startsWith('127.') || h === '[::1]' || /\.svc(?:\.cluster\.local)?$/.test(h) || /\.cluster\.local$/.test(h) || !h.includes('.');
}

/** Private addresses and names of internal DNS zones: the path stays on the organisation's network. */
function isPrivate(host: string): boolean {
  const h = host.toLowerCase();
  return /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)/.test(h) || /\.(?:internal|local|lan|corp|intranet|home\.arpa)$/.test(h);
}

export default defineControl({
  id: 'KOR-0313',
  name: 'download-over-plain-http',
  title: 'Container command downloads code or data over plain HTTP',
  description:
    'A `curl`, `wget`, `git clone` or package install from an `http://` URL outside the cluster fetches what any machine on the path chose to send: a poisoned DNS answer, a rogue access point or a compromised proxy can replace the binary, script or configuration the container then runs, at every start. Names of in-cluster Services (single labels, `.svc`, `.cluster.local`) and localhost are not reported.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['secure-container-images'], mitre: ['T1557', 'T1105'] },
  remediation: 'Fetch over HTTPS and check a pinned checksum or signature, or better, build the file into the image.',
  severityTable: [
    { case: 'a public host', severity: 'medium', reason: 'Anyone on the internet path (or who poisons its DNS) chooses what the container runs.' },
    { case: 'a private address or an internal DNS zone (.internal, .local, .corp, ...)', severity: 'low', reason: 'The path stays on the organisation\'s network, where fewer can tamper with it.' },
  ],
  messages: { http: '{{kind}} "{{name}}" downloads from {{host}} over plain HTTP in its {{field}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      for (let i = 0; i < list.length; i++) {
        const arg = list[i];
        if (typeof arg !== 'string') continue;
        // an argument of its own (`["curl", "-o", "/x", "http://..."]`) is judged with the words before it
        const text = list.slice(0, i + 1).filter((s): s is string => typeof s === 'string').join(' ');
        const hosts = [...(arg.includes('http://') ? text.matchAll(FETCH_HTTP) : [])].map((m) => m[1]!).filter((h) => !isLocal(h) && arg.includes(`http://${h}`));
        if (hosts.length === 0) continue;
        const severity: Severity = hosts.every(isPrivate) ? 'low' : 'medium';
        ctx.report('http', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, host: [...new Set(hosts)].join(', '), field }, `/${field}/${i}`, { severity });
        return;
      }
    }
  },
});
