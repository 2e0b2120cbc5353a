import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';
import { celAllContainers } from '../support/cel.js';

/** Memory allocators: libjemalloc, libtcmalloc, libmimalloc (any directory, any version suffix). */
const ALLOCATOR = /(?:^|\/)lib(?:jemalloc|tcmalloc(?:_minimal)?|mimalloc)(?:[.-][\w.]*)?\.so(?:\.[\d.]+)?$/;

const CEL_ALLOWED = String.raw`^[\\s:]*((?:[^\\s:]*/)?lib(?:jemalloc|tcmalloc(?:_minimal)?|mimalloc)(?:[.-][\\w.]*)?\\.so(?:\\.[\\d.]+)?[\\s:]*)*$`;

export default defineControl({
  id: 'KOR-0315',
  name: 'ld-preload-set',
  title: 'Container preloads a shared library with LD_PRELOAD',
  description:
    '`LD_PRELOAD` makes the dynamic loader inject a library into every program the container starts, ahead of the program\'s own code: it can hide processes and files, read memory and keys, or change what system calls return. Rootkits and cryptominers in compromised clusters use it to hide; legitimate uses are rare enough that each one deserves a look. Well-known memory allocators (jemalloc, tcmalloc, mimalloc, as ingress-nginx preloads) are not reported.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['threat-detection-alerting'], mitre: ['T1574.006'] },
  remediation: 'Remove LD_PRELOAD from the manifest; if the library is wanted (jemalloc, a profiler), link it or configure it in the image, where it is built and scanned with the rest.',
  messages: { preload: '{{kind}} "{{name}}" sets LD_PRELOAD (preloads {{count}} librar{{plural}} into every process).' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    asArray<{ name?: unknown; value?: unknown; valueFrom?: unknown }>(container.env).forEach((e, i) => {
      if (!e || e.name !== 'LD_PRELOAD') return;
      // an empty value (or none, which the API server stores for "") preloads nothing; valueFrom is unknown here
      if (e.valueFrom === undefined && (typeof e.value !== 'string' || e.value.split(/[\s:]+/).filter(Boolean).length === 0)) return;
      const libs = typeof e.value === 'string' ? e.value.split(/[\s:]+/).filter(Boolean) : [];
      // memory allocators preloaded for speed (ingress-nginx ships mimalloc this way) are not injections
      if (libs.length > 0 && libs.every((l) => ALLOCATOR.test(l))) return;
      ctx.report('preload', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, count: libs.length || 'an unknown number of', plural: libs.length === 1 ? 'y' : 'ies' }, `/env/${i}`);
    });
  },
  cel: {
    // empty, or only allocators (the same list as ALLOCATOR, in RE2)
    expression: celAllContainers(`!has(c.env) || c.env.all(e, e.name != 'LD_PRELOAD' || (!has(e.valueFrom) && (!has(e.value) || e.value.matches('${CEL_ALLOWED}'))))`),
    message: 'Containers must not set LD_PRELOAD.',
  },
});
