import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

/** A day: what the kubelet's own projected tokens aim for (one hour, renewed) is far below it. */
const LONG = 86400;

export default defineControl({
  id: 'KOR-0163',
  name: 'projected-token-long-lived',
  title: 'Projected service account token asks for a long lifetime',
  description:
    'A `serviceAccountToken` projection with a large `expirationSeconds` mints a token that stays valid long after it leaks: copied from the pod\'s filesystem, a core dump or a log, it works for days or a year. The kubelet renews projected tokens on its own, so a short lifetime (the default is one hour) costs nothing; the API server may cap it (`--service-account-max-token-expiration`), but kordon cannot see that cap in manifests.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['service-account-tokens'], mitre: ['T1528'] },
  remediation: 'Leave `expirationSeconds` at its default (3600) or set it to a few hours at most; the kubelet refreshes the file before it expires.',
  messages: { long: 'Volume "{{volume}}" projects a service account token valid for {{hours}} hours.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    asArray<{ name?: unknown; projected?: { sources?: unknown } }>(podSpec.volumes).forEach((v, i) => {
      if (!v || typeof v !== 'object') return;
      asArray<{ serviceAccountToken?: { expirationSeconds?: unknown } }>(v.projected?.sources).forEach((s, j) => {
        const exp = s?.serviceAccountToken?.expirationSeconds;
        if (typeof exp !== 'number' || exp <= LONG) return;
        const pointer = `/volumes/${i}/projected/sources/${j}/serviceAccountToken/expirationSeconds`;
        ctx.report('long', { volume: typeof v.name === 'string' ? v.name : String(i), hours: Math.round(exp / 3600) }, pointer, { fix: [{ op: 'replace', path: pointer, value: 3600 }] });
      });
    });
  },
  cel: {
    expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.serviceAccountToken) || !has(s.serviceAccountToken.expirationSeconds) || s.serviceAccountToken.expirationSeconds <= 86400))',
    message: 'Projected service account tokens must not be valid for more than a day.',
  },
});
