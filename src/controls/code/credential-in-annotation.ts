import { defineControl } from '../../engine/types.js';
import { joinPointer } from '../../inventory/pointer.js';
import { credentialKindOfName, credentialKindsOfValue, isPlaceholderValue, sortedKeys } from '../support/credentials.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Findings name the annotation and the kind of credential, never the value. */
export default defineControl({
  id: 'KOR-0132',
  name: 'credential-in-annotation',
  title: 'Hard-coded credential in an annotation or label',
  description:
    'Annotations and labels are metadata: every identity that can list an object kind sees them, tools print and index them, and controllers copy them around. A value with the format of a known credential (private key, cloud access key, GitHub/GitLab/Slack/Stripe token, JSON Web Token, URL with an embedded password), or an annotation whose name announces a credential with a literal value, leaks that credential. The last-applied-configuration annotation is left to the controls that judge the object it copies.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['secrets'], mitre: ['T1552.007'] },
  remediation: 'Remove the credential from the metadata, keep it in a Secret or an external secret store, and rotate it.',
  messages: { credential: '{{field}} "{{key}}" holds a literal {{credential}}.' },
  targets: 'object',
  kinds: ['*'],
  check(object, ctx) {
    for (const [field, label] of [['annotations', 'Annotation'], ['labels', 'Label']] as const) {
      const map = object.metadata[field];
      if (!map || typeof map !== 'object') continue;
      for (const key of sortedKeys(map)) {
        if (key === LAST_APPLIED) continue;
        const value = map[key];
        if (typeof value !== 'string') continue;
        // by format first (sorted kinds); an annotation's name counts only when no format matched;
        // placeholders ($(VAR), {{ x }}, ...) are never credentials (asked last: it is the dearer test)
        let kinds = credentialKindsOfValue(value).join(', ');
        if (kinds === '' && field === 'annotations') kinds = credentialKindOfName(key.slice(key.lastIndexOf('/') + 1)) ?? '';
        if (kinds === '' || isPlaceholderValue(value)) continue;
        ctx.report('credential', { field: label, key, credential: kinds }, joinPointer(`/metadata/${field}`, key));
      }
    }
  },
});
