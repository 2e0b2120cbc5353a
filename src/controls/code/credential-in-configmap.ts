import { defineControl } from '../../engine/types.js';
import { joinPointer } from '../../inventory/pointer.js';
import { credentialKindOfName, credentialKindsOfValue, credentialsInText, isPlaceholderValue, sortedKeys } from '../support/credentials.js';

/** Findings name the ConfigMap key (and the setting inside it) and the kind of credential, never the value. */
export default defineControl({
  id: 'KOR-0129',
  name: 'credential-in-configmap',
  title: 'Hard-coded credential in a ConfigMap',
  description:
    'ConfigMaps are not meant for secrets: they are readable by far more identities than Secrets (many roles grant `get configmaps`), are not encrypted at rest by the usual EncryptionConfiguration, and are printed by kubectl and logged by tools without redaction. This control reports keys whose name announces a credential, settings inside embedded configuration files (`password=...`, `"apiKey": "..."`) with a literal value, and values with the format of a known credential. References (`${DB_PASSWORD}`, `{{ .Values.x }}`, Argo CD\'s `$dex.github.clientSecret`) and documentation placeholders (`changeme`, `<token>`, `REPLACE_ME`, `INSERT_..._TOKEN`) are not credentials.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], cis: ['5.4.1'], mitre: ['T1552.001', 'T1552.007'] },
  remediation: 'Move the credential into a Secret (or an external secret store) and reference it from the configuration; rotate the exposed credential.',
  messages: {
    key: 'ConfigMap key "{{key}}" holds a literal {{credential}}.',
    keyWithId: 'ConfigMap key "{{key}}" holds a literal {{credential}}, with its AWS access key id in key "{{idKey}}".',
    setting: 'ConfigMap key "{{key}}" embeds a literal {{credential}} in setting "{{setting}}".',
  },
  targets: 'object',
  kinds: ['ConfigMap'],
  check(object, ctx) {
    const data = object['data'];
    if (!data || typeof data !== 'object') return;
    // whole values first: an AWS access key id beside its secret key is one credential, one fix
    const whole: Array<{ key: string; kinds: string[]; pointer: string }> = [];
    for (const key of sortedKeys(data)) {
      const value = (data as Record<string, unknown>)[key];
      if (typeof value !== 'string' || isPlaceholderValue(value) || value.includes('\n')) continue;
      const kinds = new Set(credentialKindsOfValue(value));
      const byName = credentialKindOfName(key);
      if (byName && kinds.size === 0) kinds.add(byName);
      if (kinds.size > 0) whole.push({ key, kinds: [...kinds].sort(), pointer: joinPointer('/data', key) });
    }
    const ids = whole.filter((w) => w.kinds.length === 1 && w.kinds[0] === 'AWS access key id');
    const secrets = whole.filter((w) => !ids.includes(w) && /secret/i.test(w.key) && w.kinds.includes('access key'));
    const paired = new Map<string, string>();
    secrets.forEach((s, i) => {
      if (ids[i]) paired.set(s.key, ids[i]!.key);
    });
    const folded = new Set(paired.values());
    for (const w of whole) {
      if (folded.has(w.key)) continue;
      const idKey = paired.get(w.key);
      if (idKey !== undefined) ctx.report('keyWithId', { key: w.key, credential: w.kinds.join(', '), idKey }, w.pointer);
      else ctx.report('key', { key: w.key, credential: w.kinds.join(', ') }, w.pointer);
    }
    for (const key of sortedKeys(data)) {
      const value = (data as Record<string, unknown>)[key];
      if (typeof value !== 'string' || isPlaceholderValue(value)) continue;
      if (!value.includes('\n') && whole.some((w) => w.key === key)) continue;
      const pointer = joinPointer('/data', key);
      const hits = credentialsInText(value);
      const formats = hits.filter((h) => h.setting === undefined).map((h) => h.kind);
      if (formats.length > 0) ctx.report('key', { key, credential: formats.join(', ') }, pointer);
      for (const h of hits) if (h.setting !== undefined) ctx.report('setting', { key, credential: h.kind, setting: h.setting }, pointer);
    }
  },
});
