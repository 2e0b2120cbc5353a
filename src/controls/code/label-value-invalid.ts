import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { asRecord } from '../support/workloads.js';

/** Kubernetes label values: at most 63 characters, alphanumerics with `-`, `_`, `.` inside (validation.IsValidLabelValue). */
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** A label key's name part (after an optional DNS-subdomain prefix and `/`). */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelProblem(key: string, value: unknown): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) return 'its key prefix is not a DNS subdomain';
  if (name.length > 63 || !NAME.test(name)) return 'its key is not a valid label name';
  if (typeof value !== 'string') return undefined; // wrong types are input problems, said by the reader
  if (value.length > 63) return 'its value is longer than 63 characters';
  if (!VALUE.test(value)) return 'its value has characters a label value cannot hold';
  return undefined;
}

export default defineControl({
  id: 'KOR-0747',
  name: 'label-value-invalid',
  title: 'Label the API server rejects',
  description:
    'Label keys and values have a strict syntax: values of at most 63 characters made of letters, digits, `-`, `_` and `.` (starting and ending with a letter or digit), keys with an optional DNS-subdomain prefix. A manifest with a label outside it (a version with `+`, a value with spaces, a long Git ref) is rejected when applied. Judged on object labels and pod template labels; only the key is reported, never the value.',
  layer: 'code',
  dimensions: ['CI/CD'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Shorten or sanitise the label (replace `+`, `/`, spaces; truncate to 63 characters), or move free text to an annotation.',
  messages: { invalid: '{{kind}} "{{name}}" label "{{key}}" is invalid: {{problem}}; the API server rejects the object.' },
  targets: 'object',
  kinds: ['*'],
  check(object, ctx) {
    const judge = (labels: unknown, pointer: string): void => {
      const l = asRecord(labels);
      if (!l) return;
      for (const key of Object.keys(l).sort()) {
        const problem = labelProblem(key, l[key]);
        if (problem) ctx.report('invalid', { kind: object.kind, name: object.metadata.name ?? '', key: key.length > 80 ? `${key.slice(0, 77)}...` : key, problem }, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    };
    judge(object.metadata.labels, '/metadata/labels');
    const ps = podSpecOf(object);
    if (ps && object.kind !== 'Pod') {
      const metaPointer = ps.metadataPointer;
      let cur: unknown = object;
      for (const seg of metaPointer.split('/').slice(1)) cur = asRecord(cur)?.[seg];
      judge(asRecord(cur)?.['labels'], `${metaPointer}/labels`);
    }
  },
});
