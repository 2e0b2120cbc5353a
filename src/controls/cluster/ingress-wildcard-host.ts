import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0138',
  name: 'ingress-wildcard-host',
  title: 'Ingress rule matches any host',
  description:
    'An Ingress rule without `host`, or with a wildcard host (`*.example.com`), routes requests for names nobody reviewed to the backend: any DNS name pointed at the load balancer reaches the service, which weakens host-based access rules, helps host-header attacks and makes it easy to shadow another team\'s host on a shared controller.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['network-separation'], mitre: ['T1190'] },
  remediation: 'Give every Ingress rule an explicit, fully qualified `host`.',
  messages: {
    noHost: 'Ingress "{{name}}" rule {{index}} has no host and matches every host name.',
    wildcard: 'Ingress "{{name}}" rule {{index}} matches the wildcard host "{{host}}".',
  },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const rules = (object['spec'] as { rules?: Array<{ host?: string }> } | undefined)?.rules;
    if (!Array.isArray(rules)) return;
    const name = object.metadata.name ?? '';
    rules.forEach((r, i) => {
      if (!r || typeof r !== 'object') return;
      if (!r.host) ctx.report('noHost', { name, index: i }, `/spec/rules/${i}`);
      else if (String(r.host).startsWith('*')) ctx.report('wildcard', { name, index: i, host: String(r.host) }, `/spec/rules/${i}/host`);
    });
  },
  cel: { expression: "!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host != '' && !r.host.startsWith('*'))", message: 'Ingress rules must name an explicit host.' },
});
